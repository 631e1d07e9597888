"""Quoted campaign and policy terms vs quoted speech (newsnlp.extract.terms)."""
from __future__ import annotations

import pytest

from newsnlp.extract.terms import quoted_terms


def terms(text, **kw):
    return {t.term: t.count for t in quoted_terms(text, **kw)}


@pytest.mark.parametrize("text, term", [
    ("深入落实“双减”政策，减轻学生负担。", "双减"),
    ("持续深化“放管服”改革。", "放管服"),
    ("推行“县管校聘”管理改革。", "县管校聘"),
    ("全力实施“2258”工程，成效明显。", "2258"),
    ("开展“春风行动”，帮助农民工就业。", "春风行动"),
    ("落实「三个一批」要求。", "三个一批"),
    ("发展“一村一品”特色产业。", "一村一品"),
])
def test_campaign_terms_are_found(text, term):
    assert term in terms(text)


@pytest.mark.parametrize("text", [
    "“我们一定要把群众的事情办好。”他说。",
    "“办好了”，他表示。",
    "他说：“好好干”",
    "“这件事关系到千家万户的切身利益和长远发展”",
    "认真学习《习近平谈治国理政》一书。",
    "守住安全生产的“红线”。",  # a scare-quoted ordinary word
    "欢迎大家“一起参与”。",  # 一 as an article, not a numbered slogan
    "他们“更有信心了”，也“更有信心了”。",  # a phrase, even when repeated
])
def test_speech_titles_and_scare_quotes_are_not_terms(text):
    assert terms(text) == {}


def test_count_includes_unquoted_mentions():
    text = "推进“双减”工作。双减以来，作业减少了。“双减”成效明显。"
    assert terms(text) == {"双减": 3}


def test_numeric_term_is_not_counted_inside_longer_numbers():
    assert terms("实施“1146”工程，投资11460万元。") == {"1146": 1}


def test_user_dictionary_campaign_terms():
    text = "开展“清朗网络”专项整治。"
    assert terms(text) == {}
    assert terms(text, userdict=["清朗网络 nz"]) == {"清朗网络": 1}


def test_sample_page_recall(seed_gold, seed_facts):
    found = set()
    for article in seed_gold["articles"]:
        found |= set(terms("\n".join(b["text"] for b in article["body"])))
    gold = set(seed_facts["quoted_terms"])
    assert len(found & gold) / len(gold) >= 0.8
    assert len(found & gold) / len(found) >= 0.6


def test_term_in_single_quotes_inside_quoted_speech():
    assert terms("他说：“我们要把‘放管服’改革落到实处，让群众满意。”") == {"放管服": 1}
