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
