"""Dates: absolute, partial, relative, ranges and periods, resolved against the publication date."""
from __future__ import annotations

import pytest

from newsnlp.extract.dates import dates, score_seed_page

PUB = "2022-10-12"


def _one(text, publication_date=PUB):
    found = dates(text, publication_date=publication_date)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, value, end, granularity", [
    ("10月11日，记者了解到", "2022-10-11", None, "day"),
    ("将持续至12月28日", "2022-12-28", None, "day"),  # a little after the publication date
    ("今年7月", "2022-07", None, "month"),
    ("今年9月1日", "2022-09-01", None, "day"),
    ("去年", "2021", None, "year"),
    ("上月", "2022-09", None, "month"),
    ("昨天下午", "2022-10-11", None, "day"),
    ("前天", "2022-10-10", None, "day"),
    ("10月5日晚", "2022-10-05", None, "day"),
    ("11日晚", "2022-10-11", None, "day"),
    ("2022年11月底前", "2022-11-30", None, "month-part"),
    ("6月上旬", "2022-06-01", "2022-06-10", "month-part"),
    ("2023年1月1日至2023年12月31日", "2023-01-01", "2023-12-31", "day"),
    ("12月9日至15日", "2022-12-09", "2022-12-15", "day"),
    ("今年1至9月", "2022-01", "2022-09", "month"),
    ("1月—9月", "2022-01", "2022-09", "month"),  # the year is chosen for the range's end
    ("11月至2月", "2021-11", "2022-02", "month"),
    ("2023年度", "2023", None, "year"),
    ("2021至2022学年", "2021", "2022", "school-year"),
    ("全市三季度", "2022-07", "2022-09", "quarter"),
    ("今年上半年", "2022-01", "2022-06", "half-year"),
    ("一九九八年", "1998", None, "year"),
    ("２０２２年１０月１２日", "2022-10-12", None, "day"),
    ("2020-05-26", "2020-05-26", None, "day"),
    ("9月初中生开学", "2022-09", None, "month"),  # 初 belongs to 初中 here
    ("元月一日", "2023-01-01", None, "day"),  # 81 days ahead beats 284 days back
    ("总理府三日晚宣布", "2022-10-03", None, "day"),
    ("零七年八月二十九号", "2007-08-29", None, "day"),
    ("比去年同期增长", "2021", None, "year"),
])
def test_resolved(text, value, end, granularity):
    mention = _one(text)
    assert (mention.value, mention.end, mention.granularity) == (value, end, granularity)
    assert text[mention.start:mention.end_offset] == mention.text


def test_without_publication_date_relative_stays_none():
    assert _one("今年7月", None).value is None
    assert _one("10月11日", None).value is None
    assert _one("昨天", None).value is None
    assert _one("2023年1月1日", None).value == "2023-01-01"


@pytest.mark.parametrize("text", [
    "近日，记者了解到", "目前已启动", "日前", "近年来", "今年以来，该单位", "今年春季学期", "每年9月开学",
    "30日内办结", "总投资6.4亿元", "百日行动", "第一时间", "如今年轻人", "时至今日", "十月革命", "一日之计",
    "青年初中毕业", "探明天然气", "3至2月",
])
def test_not_dates(text):
    assert dates(text, publication_date=PUB) == []


def test_bad_publication_date_is_a_user_error():
    from newsnlp.errors import NewsnlpError

    with pytest.raises(NewsnlpError):
        dates("10月11日", publication_date="12/10/2022")


def test_sample_page(seed_gold, seed_facts):
    scores = score_seed_page(seed_gold, seed_facts)
    print({k: scores[k] for k in ("precision", "recall", "f1", "extras")})
    assert scores["f1"] >= 0.95, (scores["misses"], scores["extras"])
