"""Tidy rules, one test per rule on small hand-written inputs, plus the no-content-lost property."""
import re

from hypothesis import assume, given, settings
from hypothesis import strategies as st

from newsnlp.tidy import (
    headline_text, is_doubled, is_terminal, remove_layout_spaces, tidy_lines, tidy_text, to_halfwidth,
)


def test_layout_spaces_removed_between_cjk_digits_quotes_and_punctuation():
    assert remove_layout_spaces("自三大 “百日行动 ”开展以") == "自三大“百日行动”开展以"
    assert remove_layout_spaces("共 13 次 ，总投资 6.4 亿元") == "共13次，总投资6.4亿元"
    assert remove_layout_spaces("均 为 100% 。") == "均为100%。"


def test_spaces_between_latin_words_and_numbers_are_kept():
    assert remove_layout_spaces("升级到 Windows 10 系统") == "升级到Windows 10系统"
    assert remove_layout_spaces("手机 APP 、 微信") == "手机APP、微信"


def test_nbsp_and_ideographic_spaces_are_layout_spaces():
    assert remove_layout_spaces("城乡\u3000居民\u00a0医保") == "城乡居民医保"


def test_mojibake_removed_and_fullwidth_alnum_halved():
    lines = tidy_lines("\ufffd\ufffd本报讯 ２０２２年ＡＢＣ，。")
    assert lines[0].text == "本报讯 2022年ABC，。"
    assert to_halfwidth("，。“”！") == "，。“”！"  # Chinese punctuation stays full-width


def test_doubled_line_is_undone_only_when_whole_line_doubled():
    lines = tidy_lines("比比赛赛现现场场\n谢谢大家\n常常见面")
    assert lines[0].text == "比赛现场" and lines[0].doubled
    assert lines[1].text == "谢谢大家" and not lines[1].doubled
    assert lines[2].text == "常常见面" and not lines[2].doubled
    assert not is_doubled("谢谢")  # one pair is not a doubled line


def test_terminal_punctuation():
    assert is_terminal("质量推进。")
    assert is_terminal("贡献力量。”")
    assert not is_terminal("对标“十大战略”")
    assert not is_terminal("工作方案7个，对")


def test_headline_keeps_gap_between_phrases_but_not_layout_spaces():
    assert headline_text("举办“双创”沙龙 聚才汇智促发展") == "举办“双创”沙龙 聚才汇智促发展"
    assert headline_text("示范区 2023 年度工作启动") == "示范区2023年度工作启动"


def test_hard_wrapped_paragraph_rejoined_across_column_break():
    text = "该局坚持目标导向，全力推进工作\n落实，聚焦年度目标任务，明确教\n\n育项目建设等重点工作任务。\n"
    assert tidy_text(text) == ["该局坚持目标导向，全力推进工作落实，聚焦年度目标任务，明确教育项目建设等重点工作任务。"]


def test_short_sentence_end_without_blank_line_starts_a_paragraph():
    text = ("该局坚持目标导向，全力推进工作\n落实，聚焦年度目标任务，明确教\n育项目建设的目标。\n"
            "该局积极落实教育扶贫政策，促进\n教育公平，资助学生八千多人次。\n")
    assert tidy_text(text) == [
        "该局坚持目标导向，全力推进工作落实，聚焦年度目标任务，明确教育项目建设的目标。",
        "该局积极落实教育扶贫政策，促进教育公平，资助学生八千多人次。",
    ]


_CONTENT = st.sampled_from(list("中国新闻报道记者城乡一体化，。、“”《》（）0123456789ABCxyz%.") + ["\ufffd", " ", "\u3000", "\n", "\n\n"])


def _content_chars(s: str) -> str:
    s = to_halfwidth(s)
    return re.sub(r"[\s\ufffd]", "", s)


@settings(max_examples=300, deadline=None)
@given(st.lists(_CONTENT, max_size=200).map("".join))
def test_property_no_content_character_dropped_or_reordered(raw):
    lines = raw.split("\n")
    assume(not any(is_doubled(re.sub(r"[\s\ufffd]", "", to_halfwidth(line))) for line in lines))
    out = "".join(line.text for line in tidy_lines(raw))
    assert _content_chars(out) == _content_chars(raw)
    paragraphs = "".join(tidy_text(raw))
    assert _content_chars(paragraphs) == _content_chars(raw)


def test_join_spaced_characters():
    from newsnlp.tidy import join_spaced_characters as join

    assert join("（ 记 者 王 小 明 ）") == "（记者王小明）"
    assert join("本报记者 刘 峰") == "本报记者 刘峰"
    assert join("本报记者 王明峰 常碧罗") == "本报记者 王明峰 常碧罗"  # two names stay apart
    assert join("1 5 日凌晨") == "15日凌晨"
    assert join("股票指数 当 天 上 扬") == "股票指数当天上扬"  # justified text, not a phrase gap
    assert join("举办“双创”沙龙 聚才汇智促发展") == "举办“双创”沙龙 聚才汇智促发展"
