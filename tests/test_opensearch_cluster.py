"""Two real OpenSearch nodes on loopback, an index of 2 shards with 1 replica: a node killed
mid-search and mid-ingest loses nothing and doubles nothing (issue #19)."""
from __future__ import annotations

import shutil
import socket
import threading
import time
import uuid

import pytest

from newsnlp import testing_opensearch as tos
from newsnlp.index import Archive
from newsnlp.index.engine import EngineSettings, write_settings
from newsnlp.model import Article, Block, Page, Topic


def _free_ports(n: int) -> list[int]:
    socks = [socket.socket() for _ in range(n)]
    try:
        for s in socks:
            s.bind(("127.0.0.1", 0))
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


@pytest.fixture(scope="module")
def nodes():
    why = tos.available()
    if why:
        pytest.skip(why)
    ports = _free_ports(4)
    data = tos.node_dir()
    cluster = tos.cluster(data, ports[:2], ports[2:])
    try:
        for node in cluster:
            node.start()
        tos.wait_for_health(cluster[0].url, "green", nodes=2)
        yield cluster
    finally:
        for node in cluster:
            node.stop()
        shutil.rmtree(data, ignore_errors=True)


def _pages(first: int, n: int) -> list[Page]:
    """``n`` made-up pages of three articles each, numbered from ``first``."""
    pages = []
    for p in range(first, first + n):
        articles = [Article(id=f"p{p}-a{i}", headline=[f"第{p}版第{i}篇 湖畔公园"],
                            body=[Block("p", f"湖畔公园第{p}期工程第{i}段完工，市民前往游览。")],
                            topics=[Topic("城建" if i else "社会", 0.9)]) for i in range(3)]
        pages.append(Page(source=f"/pages/{p:04d}.txt", paper="江城晚报", page=str(p % 8 + 1),
                          publication_date=f"2001-{p % 12 + 1:02d}-01", articles=articles))
    return pages


def _restart(node: tos.Node, manager_url: str) -> None:
    node.start()
    tos.wait_for_health(manager_url, "green", nodes=2)


def test_node_killed_mid_search_and_mid_ingest(nodes, tmp_path):
    manager, other = nodes
    archive = tmp_path / "archive"
    name = f"newsnlp-cluster-{uuid.uuid4().hex[:8]}"
    write_settings(archive, EngineSettings("opensearch", [other.url, manager.url], name, opensearch_shards=2))
    ar = Archive(archive)
    ar.add_pages(_pages(0, 20))
    index = ar.cluster.index_name()
    shards = ar.cluster.call("cat.shards", index=index, params={"format": "json"})
    assert len(shards) == 4 and {s["node"] for s in shards} == {"node-1", "node-2"}  # 2 primaries + 2 replicas
    tos.wait_for_health(manager.url, "green", nodes=2)

    # -- mid-search: totals and facets stay whole while node-2 dies and comes back
    seen: list[tuple[int, int]] = []
    errors: list[Exception] = []
    stop = threading.Event()

    def search_forever() -> None:
        reader = Archive(archive)
        while not stop.is_set():
            try:
                result = reader.search("公园", facets=["topic"], limit=5)
                seen.append((result.total, sum(f.count for f in result.facets["topic"])))
            except Exception as exc:  # recorded: the assertion below shows it
                errors.append(exc)

    thread = threading.Thread(target=search_forever)
    thread.start()
    time.sleep(1.0)
    other.kill()
    time.sleep(4.0)
    _restart(other, manager.url)
    time.sleep(1.0)
    stop.set()
    thread.join()
    assert errors == []
    assert len(seen) > 10 and set(seen) == {(60, 60)}

    # -- mid-ingest: node-2 dies after the first commits; the ingest goes on and completes
    done: list[int] = []

    def ingest() -> None:
        with ar.writer() as w:
            for page in _pages(20, 30):
                ar.pages.save(page)
                w.add_page(page)
                if w.pending_pages >= 3:
                    w.commit()
        done.append(1)

    thread = threading.Thread(target=ingest)
    thread.start()
    deadline = time.monotonic() + 60
    while ar.search("", limit=0).total <= 66 and time.monotonic() < deadline:
        time.sleep(0.1)
    other.kill()
    thread.join(timeout=180)
    assert done == [1]
    _restart(other, manager.url)
    ids = list(ar.iter_matching_ids(""))
    assert len(ids) == len(set(ids)) == 150  # nothing lost, nothing doubled
    assert ar.search("公园", limit=0).total == 150
    ar.cluster.call("indices.delete", index=f"{name}-*")
