"""Shared fixtures.  Tests that need ../shared (public gold sets) skip when it is absent."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
SAMPLE_PAGE = ROOT / "corpus" / "sample-page-2022-10-12.txt"


@pytest.fixture
def sample_page_path() -> Path:
    return SAMPLE_PAGE


@pytest.fixture
def shared_data() -> Path:
    """../shared/data, or skip the test when a fresh clone does not have it."""
    path = SHARED / "data"
    if not path.is_dir():
        pytest.skip("../shared/data not present")
    return path


@pytest.fixture
def seed_gold() -> dict:
    path = SHARED / "seed" / "page.gold-articles.json"
    if not path.is_file():
        pytest.skip("../shared/seed not present")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture
def seed_facts() -> dict:
    path = SHARED / "seed" / "page.gold-facts.json"
    if not path.is_file():
        pytest.skip("../shared/seed not present")
    return json.loads(path.read_text(encoding="utf-8"))


@pytest.fixture(scope="session")
def opensearch_url():
    """A real single-node OpenSearch cluster on loopback for the session (the minimal distribution
    from Maven Central, see newsnlp.testing_opensearch), or ``$NEWSNLP_TEST_OPENSEARCH_URL``;
    the tests skip, saying why, where Java or the distribution cannot be had."""
    import os
    import shutil
    import socket

    from newsnlp import testing_opensearch as tos

    if os.environ.get("NEWSNLP_TEST_OPENSEARCH_URL"):
        yield os.environ["NEWSNLP_TEST_OPENSEARCH_URL"]
        return
    why = tos.available()
    if why:
        pytest.skip(why)
    ports = []
    for _ in range(2):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            ports.append(s.getsockname()[1])
    data = tos.node_dir()
    node = tos.Node(data, ports[0], ports[1]).start()
    try:
        tos.wait_for_health(node.url)
        yield node.url
    finally:
        node.stop()
        shutil.rmtree(data, ignore_errors=True)
