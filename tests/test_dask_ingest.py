"""Ingest on Dask workers (a real LocalCluster with process workers): the same archive as a local
ingest, a killed worker's batches run again with nothing lost or doubled, clear errors (issue #19)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

pytest.importorskip("dask.distributed")

from newsnlp.index import Archive  # noqa: E402
from newsnlp.ingest import ingest  # noqa: E402


def write_pages(folder: Path, n: int) -> list[Path]:
    """``n`` made-up text pages of three articles each (headline, byline, two paragraphs)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for p in range(n):
        parts = []
        for i in range(3):
            parts += [f"湖畔公园第{p}期第{i}段工程完工", "",
                      f"　　本报讯（记者 王{'明亮'[i % 2]}{'华东西'[p % 3]}）{p % 28 + 1}日，湖畔公园第{p}期第{i}段工程完工，"
                      "市民可以前往游览。",
                      f"　　据介绍，该段工程共建设步道{p * 3 + i}米，栽种树木{p + i * 7}棵，总投资{p % 9 + 1}百万元。", ""]
        path = folder / f"page{p:03d}-2001-{p % 12 + 1:02d}-01.txt"
        path.write_text("\n".join(parts), encoding="utf-8")
        paths.append(path)
    return paths


def test_dask_local_cluster_builds_the_same_archive_as_a_local_ingest(tmp_path):
    pages = tmp_path / "pages"
    write_pages(pages, 12)
    local = ingest([pages], tmp_path / "local", jobs=1)
    on_dask = ingest([pages], tmp_path / "dask", dask="local:2")
    assert (on_dask.pages, on_dask.articles, on_dask.failures) == (local.pages, local.articles, []) == (12, 36, [])
    a, b = Archive(tmp_path / "local"), Archive(tmp_path / "dask")
    assert sorted(a.iter_matching_ids("")) == sorted(b.iter_matching_ids(""))
    for query in ("公园", '"第3期"', "步道"):
        assert a.search(query, facets=["reporter", "year"]).to_dict()["facets"] == \
            b.search(query, facets=["reporter", "year"]).to_dict()["facets"]
        assert a.search(query).total == b.search(query).total


def test_killed_worker_loses_and_doubles_nothing_on_opensearch(tmp_path, opensearch_url):
    from dask.distributed import Client, LocalCluster

    pages = tmp_path / "pages"
    write_pages(pages, 48)
    archive = tmp_path / "archive"
    name = f"newsnlp-dask-{uuid.uuid4().hex[:8]}"
    cluster = LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None)
    client = Client(cluster)
    reports = []
    try:
        thread = threading.Thread(target=lambda: reports.append(ingest(
            [pages], archive, dask=cluster.scheduler_address, engine="opensearch", opensearch_url=opensearch_url,
            opensearch_index=name)))
        thread.start()
        deadline = time.monotonic() + 120
        while not list((archive / "pages").glob("*.json")) and time.monotonic() < deadline:
            time.sleep(0.05)
        pids = client.run(os.getpid)
        os.kill(next(iter(pids.values())), signal.SIGKILL)  # a worker dies mid-batch; its nanny restarts it
        thread.join(timeout=300)
        assert reports and reports[0].pages == 48 and reports[0].failures == []
        ar = Archive(archive)
        ids = list(ar.iter_matching_ids(""))
        assert len(ids) == len(set(ids)) == 144
        assert ar.search("公园", limit=0).total == 144
        assert len(list((archive / "pages").glob("*.json"))) == 48
        ar.cluster.call("indices.delete", index=f"{name}-*")
    finally:
        client.close()
        cluster.close()


def test_unreachable_scheduler_is_one_line_and_nothing_is_stored(tmp_path):
    pages = tmp_path / "pages"
    write_pages(pages, 2)
    archive = tmp_path / "archive"
    run = subprocess.run([sys.executable, "-m", "newsnlp", "ingest", str(pages), "--archive", str(archive),
                          "--dask", "tcp://127.0.0.1:9"], capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert "no Dask scheduler at tcp://127.0.0.1:9" in run.stderr and "Traceback" not in run.stderr
    assert not archive.exists()
    bad = subprocess.run([sys.executable, "-m", "newsnlp", "ingest", str(pages), "--archive", str(archive),
                          "--dask", "local:x"], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 1 and "expected local:N" in bad.stderr


def test_scheduler_that_goes_away_is_one_error_and_a_rerun_completes(tmp_path):
    from dask.distributed import LocalCluster

    from newsnlp.errors import NewsnlpError

    pages = tmp_path / "pages"
    write_pages(pages, 80)
    archive = tmp_path / "archive"
    cluster = LocalCluster(n_workers=1, threads_per_worker=1, processes=True, dashboard_address=None)
    errors: list[str] = []

    def run() -> None:
        try:
            ingest([pages], archive, dask=cluster.scheduler_address)
        except NewsnlpError as exc:
            errors.append(str(exc))

    thread = threading.Thread(target=run)
    thread.start()
    deadline = time.monotonic() + 120
    while not list((archive / "pages").glob("*.json")) and time.monotonic() < deadline:
        time.sleep(0.05)
    cluster.close()  # scheduler and worker gone mid-ingest
    thread.join(timeout=180)
    assert not thread.is_alive()
    assert len(errors) == 1 and "Dask" in errors[0] and "run the same ingest again" in errors[0]
    assert "\n" not in errors[0]
    assert 0 < len(list((archive / "pages").glob("*.json"))) < 80
    report = ingest([pages], archive, dask="local:1")  # the rerun replaces, never doubles
    assert report.pages == 80 and report.failures == []
    ids = list(Archive(archive).iter_matching_ids(""))
    assert len(ids) == len(set(ids)) == 240
