"""Family C generated pages (report-only layout); skipped without ../shared/data."""
import random
import re

import pytest

from newsnlp.evaluate import score_page
from newsnlp.testing import gold_problems
from newsnlp.testing_c import CONVENTIONS, generate_page_c, load_records_c

_CACHE: dict = {}  # records and pages, built once per test session


@pytest.fixture
def records(shared_data):
    if not (shared_data / "peoples_daily_2019").is_dir() or not (
            shared_data / "peoples_daily_1998_01" / "199801.txt").is_file():
        pytest.skip("People's Daily 2019 or 1998 data not present")
    if "records" not in _CACHE:
        _CACHE["records"] = load_records_c(shared_data)
    return _CACHE["records"]


@pytest.fixture
def pages(records):
    if "pages" not in _CACHE:
        _CACHE["pages"] = [generate_page_c(*records, rng=random.Random(seed)) for seed in range(60)]
    return _CACHE["pages"]


def test_same_seed_same_page(records):
    first = generate_page_c(*records, rng=random.Random(7))
    assert first == generate_page_c(*records, rng=random.Random(7))
    assert first[0] != generate_page_c(*records, rng=random.Random(8))[0]


def test_gold_is_printed_and_follows_the_contract(pages):
    for raw, gold in pages:
        assert gold_problems(raw, gold) == []
        for article in gold["articles"]:
            assert all(not re.search(r"\s", b["text"]) for b in article["body"])
            assert not any(b["kind"] == "subhead" and b["text"].startswith(("■", "◆")) for b in article["body"])
            assert not any(c.startswith("▲") or c.endswith("摄）") for c in article["captions"])


def test_gold_scores_perfectly_against_itself(pages):
    for _, gold in pages:
        scores = score_page(gold, gold)
        assert scores["body_cer"] == 0
        for key in ("boundary_f1", "headline_f1", "reporter_f1", "caption_f1", "dateline_f1"):
            assert scores[key] == 1.0, key


def test_each_convention_shows_up(pages):
    seen = {c for _, gold in pages for c in gold["conventions"]}
    assert seen == set(CONVENTIONS)
    raws = "\n".join(raw for raw, _ in pages)
    assert re.search(r"^A\d\d ?[|｜] ?\S", raws, re.M)                         # A03 | 要闻
    assert re.search(r"星期.\s+责编：", raws) and "新闻热线：" in raws
    assert re.search(r"^文/", raws, re.M) and re.search(r"^□", raws, re.M) and re.search(r"^■记者", raws, re.M)
    assert re.search(r" 报道$", raws, re.M) and re.search(r"本报\S*讯（记者 ", raws)
    assert re.search(r"^■ \S", raws, re.M) and re.search(r"^◆\S", raws, re.M) and re.search(r"^[一二三]、", raws, re.M)
    assert re.search(r"^▲ ", raws, re.M) and re.search(r"摄）$", raws, re.M) and re.search(r"/摄$", raws, re.M)
    assert "【核心提示】" in raws and "编者按：" in raws and re.search(r"^导读$", raws, re.M)
    assert re.search(r"（下转A\d+版）", raws) and re.search(r"^（上接A\d+版）$", raws, re.M)
    assert re.search(r"^【\S+】", raws, re.M) and re.search(r"观察）$", raws, re.M)
    assert re.search(r"^——\S", raws, re.M) and re.search(r"^—[^—\s]", raws, re.M)
    # unwrapped pages: a paragraph far wider than any column
    assert any(len(line) > 60 for line in raws.splitlines())


def test_wrapped_pages_print_full_last_lines(pages):
    """On hard-wrapped pages some paragraph ends on a full line, so only the next
    line's indent (or a blank line) tells a new paragraph starts."""
    for raw, gold in pages:
        if "wrap_full_last" in gold["conventions"]:
            assert "wrap_column" in gold["conventions"]
