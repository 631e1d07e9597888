"""Family B generated pages (People's Daily 2019 layout); skipped without ../shared/data."""
import random
import re

import pytest

from newsnlp.evaluate import score_page, squeeze
from newsnlp.testing import gold_problems
from newsnlp.testing_b import generate_page_b, load_2019_articles, split_articles

PATTERNS = {"kicker", "subtitle", "subheads", "column_label", "trailing", "spaced", "caption", "teaser",
            "continuation"}


_CACHE: dict = {}  # loaded once per test session (loading takes ~3 s)


@pytest.fixture
def articles(shared_data):
    folder = shared_data / "peoples_daily_2019"
    if not folder.is_dir():
        pytest.skip("../shared/data/peoples_daily_2019 not present")
    if "articles" not in _CACHE:
        _CACHE["articles"] = load_2019_articles(folder)
    return _CACHE["articles"]


@pytest.fixture
def pages(articles):
    if "pages" not in _CACHE:
        _CACHE["pages"] = [generate_page_b(articles, rng=random.Random(seed)) for seed in range(60)]
    return _CACHE["pages"]


def test_records_are_structured(articles):
    assert len(articles) > 2000
    with_body = [a for a in articles if a["body"]]
    for a in with_body:
        assert a["body"][-1]["kind"] == "p"
        assert all(not re.search(r"\s", b["text"]) for b in a["body"])
        first = a["body"][0]["text"]
        assert not re.match(r"据?(本报|新华社)\S{0,12}[讯电]", first), first
        if a["reporters"]:
            assert all(name in squeeze(a["byline"]) for name in a["reporters"])
    assert sum(bool(a["dateline"]) for a in with_body) > 500
    assert sum(a["trailing_dateline"] for a in with_body) > 50
    assert sum(bool(a["teaser"]) for a in with_body) > 50
    assert sum(any(b["kind"] == "subhead" for b in a["body"]) for a in with_body) > 200
    assert sum(bool(re.search(r"（[^（）]+）$", a["headline"])) for a in with_body) > 500
    assert any(a["captions"] and a["captions"][0]["credit"].endswith(("摄", "）")) for a in articles)


def test_split_is_disjoint_stable_and_about_30_70(articles):
    dev, held = split_articles(articles, "dev"), split_articles(articles, "heldout")
    dev_ids, held_ids = {a["id"] for a in dev}, {a["id"] for a in held}
    assert not dev_ids & held_ids and len(dev_ids | held_ids) == len(articles)
    assert 0.25 < len(dev) / len(articles) < 0.35
    assert {a["id"] for a in split_articles(list(reversed(articles)), "dev")} == dev_ids
    assert {a["id"] for a in split_articles(articles[::2], "dev")} == dev_ids & {a["id"] for a in articles[::2]}
    with pytest.raises(ValueError):
        split_articles(articles, "test")


def test_same_seed_same_page(articles):
    first = generate_page_b(articles, rng=random.Random(11))
    assert first == generate_page_b(articles, rng=random.Random(11))
    assert first[0] != generate_page_b(articles, rng=random.Random(12))[0]


def test_gold_is_printed_and_follows_the_contract(pages):
    for raw, gold in pages:
        assert gold_problems(raw, gold) == []


def test_each_pattern_shows_up(pages):
    seen = {p for _, gold in pages for p in gold["patterns"]}
    assert seen >= PATTERNS
    raws = "\n".join(raw for raw, _ in pages)
    assert re.search(r"（\s*本报[^（）\n]{1,10}\d{1,2}月\d{1,2}日电）|（本报记者", raws)  # trailing credits
    assert re.search(r"（ 记 者 ", raws) or "\u00a0\u00a0" in raws  # character-spaced bylines
    assert re.search(r"上接第", raws) and re.search(r"下转第", raws)
    assert re.search(r"^(核心阅读|内容提要|编者按)", raws, re.M) or "——编者" in raws
    assert re.search(r"摄(（[^（）]+）)?$", raws, re.M)  # picture credits
    # kicker above a headline, and the body starting right under it (no byline line)
    assert any(a["kicker"] and not a["byline"] for _, gold in pages for a in gold["articles"])
    # subtitles printed after ——
    assert re.search(r"^——\S", raws, re.M)
    # a bracketed column label closing a headline
    assert any(re.search(r"）$", a["headline"][-1]) for _, gold in pages for a in gold["articles"] if a["headline"])


def test_layout_differs_from_family_a(pages):
    """Family B prints a top line with date, weekday, page and section, and wraps
    columns narrow (10-16) or wide (22-30), never in family A's 12-20 alone."""
    for raw, gold in pages:
        top = raw.splitlines()[0]
        assert re.search(r"星期|人民日报|\d{4}年\d{1,2}月\d{1,2}日", top) and gold["section"] in top.replace(" ", "")
        assert gold["publication_date"] and gold["page"]


def test_gold_scores_perfectly_against_itself(pages):
    for _, gold in pages[:20]:
        scores = score_page(gold, gold)
        assert scores["body_cer"] == 0
        for key in ("boundary_f1", "headline_f1", "reporter_f1", "caption_f1", "dateline_f1"):
            assert scores[key] == 1.0, key
