"""Segmentation with the shipped and user dictionaries (newsnlp.segment)."""
from __future__ import annotations

import pytest

from newsnlp import segment
from newsnlp.errors import InputError


def test_user_word_kept_whole_only_when_in_the_dictionary():
    text = "全面推行县管校聘管理改革"
    assert "县管校聘" not in segment.cut(text)
    assert "县管校聘" in segment.cut(text, userdict=["县管校聘"])
    assert "县管校聘" not in segment.cut(text)  # a user dictionary does not leak into the default


def test_userdict_file_with_freq_and_tag(tmp_path):
    path = tmp_path / "mine.txt"
    path.write_text("# comment\n归雁计划 10 nz\n", encoding="utf-8")
    assert "归雁计划" in segment.cut("实施归雁计划", userdict=path)
    assert ("归雁计划", "nz") in segment.pos("实施归雁计划", userdict=path)
    assert segment.user_entries(path) == [("归雁计划", 10, "nz")]


def test_shipped_dictionary_keeps_titles_whole():
    assert "党工委书记" in segment.cut("区党工委书记讲话")
    assert ("副局长", "nnt") in segment.pos("副局长参加会议")


def test_tokens_offsets_cover_the_text():
    text = "市财政局局长在会上说，“双减”落地见效。"
    toks = segment.tokens(text)
    assert "".join(w for w, _, _ in toks) == text
    assert all(text[s:e] == w for w, s, e in toks)
    assert [w for w, *_ in segment.pos_tokens(text)] == [w for w, _ in segment.pos(text)]


def test_missing_or_malformed_userdict_is_a_user_error(tmp_path):
    with pytest.raises(InputError):
        segment.cut("文本", userdict=tmp_path / "nope.txt")
    bad = tmp_path / "bad.txt"
    bad.write_text("一个 词 太多 字段\n", encoding="utf-8")
    with pytest.raises(InputError, match="bad.txt:1"):
        segment.cut("文本", userdict=bad)


def test_score_words_counts_boundaries():
    gold = [["共同", "创造", "美好"]]
    assert segment.score_words(gold, [["共同", "创造", "美好"]])["f1"] == 1.0
    scores = segment.score_words(gold, [["共同创造", "美好"]])
    assert scores["precision"] == 0.5 and scores["recall"] == pytest.approx(1 / 3)


def test_eval_seg_command_scores_both_setups(tmp_path):
    import json

    from click.testing import CliRunner

    from newsnlp.cli import cli

    for name in ("pku", "msr"):
        (tmp_path / f"{name}_test.utf8").write_text("区党工委书记讲话\n", encoding="utf-8")
        (tmp_path / f"{name}_test_gold.utf8").write_text("区  党工委  书记  讲话\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "seg", "--data", str(tmp_path), "--json"])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["pku"]["jieba"]["f1"] == 1.0  # plain jieba splits 党工委 / 书记 like the gold
    assert scores["pku"]["newsnlp"]["f1"] == pytest.approx(2 * (2 / 3) * (2 / 4) / (2 / 3 + 2 / 4))


def test_eval_seg_command_missing_data(tmp_path):
    from click.testing import CliRunner

    from newsnlp.cli import cli

    result = CliRunner().invoke(cli, ["eval", "seg", "--data", str(tmp_path)])
    assert result.exit_code == 1 and result.output.startswith("Error:")
