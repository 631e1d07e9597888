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


# --- resolution in context, festivals and lunar dates (issue #16) ------------------------------------
def _values(text, publication_date):
    return [(d.text, d.value, d.end, d.basis) for d in dates(text, publication_date=publication_date)]


def test_a_past_dated_event_holds_for_later_paragraphs():
    text = "1962年3月，老支书带着乡亲们上山。\n山上没有路，大家就开路。\n5月8日，第一口井打成。\n6月，梯田也修好了。"
    assert _values(text, "2019-10-12") == [
        ("1962年3月", "1962-03", None, "explicit"), ("5月8日", "1962-05-08", None, "context"),
        ("6月", "1962-06", None, "context")]


def test_a_year_led_clause_holds_too_and_a_bare_day_takes_its_month():
    text = "1937年，他离开家乡。9月，他到了延安。\n1956年7月13日，第一辆车下线，14日，车队上街报喜。"
    assert [d.value for d in dates(text, publication_date="2019-02-02")] == [
        "1937", "1937-09", "1956-07-13", "1956-07-14"]


def test_the_present_ends_the_past_context():
    text = "1962年3月，他来到这个村。如今，村里通了公路和网络，家家户户住上新房。\n5月8日，村里举办了丰收节。"
    assert dates(text, publication_date="2019-10-12")[-1].value == "2019-05-08"
    reporter = "1998年6月，工厂建成投产。\n厂房后来扩建过两次。\n10月15日，记者再次来到厂里。"
    assert dates(reporter, publication_date="2019-10-20")[-1].value == "2019-10-15"


def test_a_report_on_last_years_work():
    text = "2018年，全县新建公路30公里。5月1日，跨江大桥建成通车。"
    assert dates(text, publication_date="2019-02-15")[-1].value == "2018-05-01"
    # forward in time from a recent month: left to the publication date
    assert dates("去年12月，项目开工。1月，主体完工。", publication_date="2019-02-20")[-1].value == "2019-01"


def test_recent_context_needs_a_month_or_a_year_led_clause_to_cross_a_sentence():
    text = "他曾于去年向有关部门提出建议。\n对此，有关部门2月11日回应称，正在研究。"
    assert dates(text, publication_date="2019-02-14")[-1].value == "2019-02-11"


def test_comparisons_and_datelines_set_no_context():
    text = "瑞士接收的包裹比2015年增加了两倍多。10月9日，首趟列车从义乌开出。"
    assert dates(text, publication_date="2019-10-29")[-1].value == "2019-10-09"
    history = "1950年5月，他把队旗献给了政府。\n（本报北京2月13日电）"
    assert _values(history, "2019-02-14")[-1] == ("2月13日", "2019-02-13", None, "publication")


@pytest.mark.parametrize("text, publication_date, expected", [
    ("1938年3月18日，县城失守。他参加了游击队。\n同年10月，他建立了情报站。", "2019-02-11", ("同年10月", "1938-10")),
    ("1981年6月30日，省政府追授他烈士称号；同年7月16日，又追授一级英模称号。", "2019-10-29",
     ("同年7月16日", "1981-07-16")),
    ("1970年，他调到市公安局。次年加入中国共产党。", "2019-10-28", ("次年", "1971")),
    ("1952年，他到了北京。翌年3月，他进入大学。", "2019-10-28", ("翌年3月", "1953-03")),
    ("1964年，他们开始试种。第二年，亩产翻了一番。", "2019-10-28", ("第二年", "1965")),
    ("1999年，学校决定扩招，当年招生人数翻番。", "2019-10-25", ("当年", "1999")),
    ("2018年全市生产总值比上年增长6.5%。", "2019-02-15", ("上年", "2017")),
    ("今年前三季度，全省进出口比上年同期增长5%。", "2019-10-30", ("上年", "2018")),
    ("2008年的降水比前一年少了三成。", "2019-10-28", ("前一年", "2007")),
])
def test_years_that_refer_to_the_context(text, publication_date, expected):
    found = dates(text, publication_date=publication_date)
    assert expected in [(d.text, d.value) for d in found]
    assert next(d for d in found if d.text == expected[0]).basis == "context"


@pytest.mark.parametrize("text", [
    "1986年，县委决定把骨灰安葬在当年他亲手建起的林场。",  # 当年 = back then
    "我是年轻人，一干就是十年。", "这一习惯的背后，是年复一年的观察。", "他们是同年级的同学。",
    "同年，他去了北京。",  # no year before it
])
def test_context_words_that_are_not_dates(text):
    assert all(d.text not in ("当年", "是年", "同年") for d in dates(text, publication_date="2019-10-25"))


@pytest.mark.parametrize("text, publication_date, value, end, basis", [
    ("今年春节期间，游客增长三成。", "2019-02-18", "2019-02-05", None, "lunar"),
    ("春节前夕，他突发疾病。", "2019-02-21", "2019-02-05", None, "lunar"),  # the nearest 春节
    ("春节临近，返乡客流增加。", "2020-01-10", "2020-01-25", None, "lunar"),
    ("去年春节期间，航班一票难求。", "2019-10-08", "2018-02-16", None, "lunar"),
    ("除夕夜，全家团圆。", "2019-02-05", "2019-02-04", None, "lunar"),
    ("元宵佳节，灯会开幕。", "2019-02-10", "2019-02-19", None, "lunar"),
    ("正月十二，工厂开工。", "2019-02-18", "2019-02-16", None, "lunar"),
    ("腊月二十三，家家扫房。", "2019-02-10", "2019-01-28", None, "lunar"),
    ("2018年重阳节，村里请老人吃饭。", "2019-02-14", "2018-10-17", None, "lunar"),
    ("今年中秋前夕，我回了一趟故乡。", "2019-10-28", "2019-09-13", None, "lunar"),
    ("博物馆大年初一至初六正常开放。", "2019-02-03", "2019-02-05", "2019-02-10", "lunar"),
    ("国庆节前夕，记者来到村里。", "2019-10-18", "2019-10-01", None, "publication"),
    ("元旦前夕，广场建成。", "2019-02-14", "2019-01-01", None, "publication"),
    ("2018年三八妇女节那天，小店开张。", "2019-02-14", "2018-03-08", None, "explicit"),
    ("清明节假期，景区游客众多。", "2019-04-08", "2019-04-05", None, "publication"),
])
def test_festivals_and_lunar_dates(text, publication_date, value, end, basis):
    mention = _one(text, publication_date)
    assert (mention.value, mention.end, mention.basis) == (value, end, basis)


def test_lunar_dates_in_context_and_in_a_list():
    text = "长城站落成典礼是在1985年2月20日，本来年初一是开心的日子。"
    assert dates(text, publication_date="2019-02-16")[-1].value == "1985-02-20"
    listed = "我是年三十、初四、初五值了三天班。"
    assert [(d.text, d.value) for d in dates(listed, publication_date="2019-02-19")] == [
        ("年三十", "2019-02-04"), ("初四", "2019-02-08"), ("初五", "2019-02-09")]


@pytest.mark.parametrize("text", [
    "每年春节、端午、中秋等传统佳节，都是探亲高峰。", "每逢春节，他都回家。", "每年清明节期间，师生前往纪念馆。",
    "一台台迎春节目正准备出场。", "初一、初二学生根据兴趣选课。", "政治清明，社会安定。", "回顾中国的昨天、把握中国的今天、展望中国的明天。",
    "他订阅了《今天》杂志。", "每年的6月20日是难民日。", "国庆70周年盛典令人难忘。",
])
def test_not_festival_or_lunar_dates(text):
    assert dates(text, publication_date="2019-10-12") == []


@pytest.mark.parametrize("text, value", [
    ("1930年秋，他考入北平第四中学。", "1930"),
    ("2018 年11月，深圳发布新规。", "2018-11"),  # a space inside the date
    ("自今年初在三地试点以来，效果明显。", "2019-01-01"),
])
def test_more_spans(text, value):
    assert dates(text, publication_date="2019-10-26")[0].value == value


def test_basis_of_plain_dates():
    assert [(d.text, d.basis) for d in dates("1935年5月22日，今年7月，10月11日，昨天", publication_date=PUB)] == [
        ("1935年5月22日", "explicit"), ("今年7月", "publication"), ("10月11日", "context"), ("昨天", "publication")]
    assert _one("10月11日", None).basis is None
