"""Figures: values, units, approx, ranges, subjects, and what must not be a figure."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newsnlp.extract.figures import figures, score_seed_page


def _one(text):
    found = figures(text)
    assert len(found) == 1, found
    return found[0]


@pytest.mark.parametrize("text, value, unit", [
    ("总投资6.4亿元的学校", 640000000, "元"),
    ("拨付资金685.197万元", 6851970, "元"),
    ("招聘三千五百名教师", 3500, "名"),
    ("新建两所学校", 2, "所"),
    ("压减率达100%", 100, "%"),
    ("上涨了百分之八", 8, "%"),
    ("增长2.5个百分点", 2.5, "百分点"),
    ("服务3万人次", 30000, "人次"),
    ("赔偿601,293.11元", 601293.11, "元"),
    ("面积１２０平方米", 120, "平方米"),
])
def test_value_and_unit(text, value, unit):
    figure = _one(text)
    assert (figure.value, figure.unit) == (value, unit)
    assert text[figure.start:figure.end] == figure.text


@pytest.mark.parametrize("text, approx", [
    ("培训教师600余人次", True), ("约4.3亿美元", True), ("40多次", True), ("15个左右", True),
    ("不超过5%", False), ("召开7次", False),
])
def test_approx(text, approx):
    assert _one(text).approx is approx


def test_range_and_multiplier_shared():
    figure = _one("每组3至5个")
    assert (figure.value, figure.value_max, figure.unit) == (3, 5, "个")
    figure = _one("两到三万港元")
    assert (figure.value, figure.value_max, figure.unit) == (20000, 30000, "港元")


def test_ranges_between_two_figures_and_adjacent_numerals():
    figure = _one("补助1万元至5万元不等")
    assert (figure.value, figure.value_max, figure.unit) == (10000, 50000, "元")
    figure = _one("在两三年内")
    assert (figure.value, figure.value_max, figure.approx) == (2, 3, True)
    figure = _one("四五千块钱")
    assert (figure.value, figure.value_max, figure.unit) == (4000, 5000, "元")


def test_middle_dot_decimal_and_full_width():
    assert (_one("占６７·８％").value, _one("占６７·８％").unit) == (67.8, "%")


@given(st.text(alphabet="0123456789一二两三十百千万亿.%元个名次年月日第“”《》至-约余多人所，。的学校", max_size=40))
@settings(max_examples=300, deadline=None)
def test_offsets_always_point_at_the_text(text):
    for figure in figures(text):
        assert text[figure.start:figure.end] == figure.text
        assert figure.value is not None and (figure.value_max is None or figure.value_max >= figure.value)


@pytest.mark.parametrize("text, subject", [
    ("新增学位11910个", "新增学位"), ("7所幼儿园全部投入使用", "幼儿园"), ("总投资6.4亿元", "总投资"),
    ("全区11所公办小学均开展", "公办小学"),
])
def test_subject(text, subject):
    assert _one(text).subject == subject


@pytest.mark.parametrize("text", [
    "第二届广场舞大赛", "获得第一名", "融入“1146”工程", "党的二十大", "十九届六中全会", "拨打12366热线",
    "5G基站", "3D打印", "2022年12月28日", "2023年度医保", "一是强化", "二是开展", "推进一体化",
    "第一时间报告", "坚持一校一策", "一个事项、一套专班", "落实中央八项规定", "三番五次", "三大“百日行动”",
    "上午10时30分", "电话0394-8888888", "2.2本计划", "数十家企业", "《十送红军》", "三季度会议", "2021至2022学年",
])
def test_not_figures(text):
    assert figures(text) == []


def test_sample_page(seed_gold, seed_facts):
    scores = score_seed_page(seed_gold, seed_facts)
    print({k: scores[k] for k in ("precision", "recall", "f1", "gold", "predicted")})
    assert scores["not_figures_reported"] == []
    assert scores["f1"] >= 0.95, (scores["misses"], scores["extras"])
