import copy
import json

import pytest
from click.testing import CliRunner

from newsnlp.cli import cli
from newsnlp.errors import InputError
from newsnlp.evaluate import mean_scores, score_page, score_page_files


def _page():
    return {
        "source": "x",
        "section": "要闻",
        "articles": [
            {
                "headline": ["港口新建两座泊位", "年吞吐能力大幅提升"],
                "kicker": "物流提速",
                "subtitle": None,
                "dateline": "本报讯",
                "byline": "记者 周海宁",
                "reporters": ["周海宁"],
                "body": [
                    {"kind": "p", "text": "今年3月，港口新建的两座集装箱泊位正式投入运营。"},
                    {"kind": "subhead", "text": "调度保畅"},
                    {"kind": "p", "text": "年吞吐能力增加120万标箱，缓解了压港的问题。"},
                ],
                "captions": ["泊位全景"],
            },
            {
                "headline": ["春季植树活动开始"],
                "subtitle": "今年计划新增绿地460公顷",
                "dateline": None,
                "reporters": ["沈秋云", "郑凯"],
                "body": [
                    {"kind": "p", "text": "记者从林业部门获悉，春季义务植树活动已经开始。"},
                    {"kind": "p", "text": "市民可以通过线上渠道预约植树地点。"},
                ],
            },
        ],
    }


def test_perfect_page_scores_zero_cer_and_full_f1():
    gold = _page()
    scores = score_page(copy.deepcopy(gold), gold)
    assert scores["body_cer"] == 0.0
    for key in ("boundary_f1", "headline_f1", "reporter_f1", "caption_f1", "dateline_f1"):
        assert scores[key] == 1.0, key
    assert scores["articles_pred"] == scores["articles_gold"] == 2


def test_layout_spaces_do_not_count():
    gold = _page()
    pred = copy.deepcopy(gold)
    pred["articles"][0]["body"][0]["text"] = "今年 3 月，\u3000港口新建的两座集装箱泊位正式投入运营。"
    pred["articles"][0]["headline"] = ["港口新建两座泊位 年吞吐能力大幅提升"]
    scores = score_page(pred, gold)
    assert scores["body_cer"] == 0.0 and scores["headline_f1"] == 1.0


def test_dropped_character_moves_only_cer():
    gold = _page()
    pred = copy.deepcopy(gold)
    text = pred["articles"][1]["body"][0]["text"]
    pred["articles"][1]["body"][0]["text"] = text[:5] + text[6:]
    scores = score_page(pred, gold)
    assert scores["body_edits"] == 1
    assert scores["body_cer"] == pytest.approx(1 / scores["body_chars_gold"])
    assert scores["boundary_f1"] == 1.0 and scores["headline_f1"] == 1.0


def test_first_character_of_paragraph_lost_keeps_its_boundary():
    gold = _page()
    pred = copy.deepcopy(gold)
    block = pred["articles"][1]["body"][1]
    block["text"] = block["text"][1:]
    scores = score_page(pred, gold)
    assert scores["body_edits"] == 1 and scores["boundary_f1"] == 1.0


def test_split_paragraph_lowers_boundary_precision():
    gold = _page()
    pred = copy.deepcopy(gold)
    text = pred["articles"][0]["body"][0]["text"]
    pred["articles"][0]["body"][0:1] = [{"kind": "p", "text": text[:6]}, {"kind": "p", "text": text[6:]}]
    scores = score_page(pred, gold)
    assert scores["body_cer"] == 0.0
    assert scores["boundary_recall"] == 1.0 and scores["boundary_precision"] < 1.0


def test_merged_paragraphs_lower_boundary_recall():
    gold = _page()
    pred = copy.deepcopy(gold)
    body = pred["articles"][1]["body"]
    body[0:2] = [{"kind": "p", "text": body[0]["text"] + body[1]["text"]}]
    scores = score_page(pred, gold)
    assert scores["boundary_precision"] == 1.0 and scores["boundary_recall"] < 1.0


def test_boundary_one_character_off_is_a_miss():
    gold = _page()
    pred = copy.deepcopy(gold)
    body = pred["articles"][1]["body"]
    joined = body[0]["text"] + body[1]["text"]
    cut = len(body[0]["text"]) + 1
    body[0:2] = [{"kind": "p", "text": joined[:cut]}, {"kind": "p", "text": joined[cut:]}]
    scores = score_page(pred, gold)
    assert scores["body_cer"] == 0.0 and scores["boundary_f1"] < 1.0


def test_wrong_headline_moves_headline_f1_only():
    gold = _page()
    pred = copy.deepcopy(gold)
    pred["articles"][1]["headline"] = ["植树活动"]
    scores = score_page(pred, gold)
    assert scores["headline_precision"] == 0.5 and scores["headline_recall"] == 0.5
    assert scores["body_cer"] == 0.0 and scores["boundary_f1"] == 1.0


def test_headline_joined_with_kicker_or_subtitle_matches():
    gold = _page()
    pred = copy.deepcopy(gold)
    pred["articles"][0]["headline"] = ["物流提速", "港口新建两座泊位", "年吞吐能力大幅提升"]
    pred["articles"][1]["headline"] = ["春季植树活动开始", "——今年计划新增绿地460公顷"]
    assert score_page(pred, gold)["headline_f1"] == 1.0


def test_reporters_and_captions_are_multisets():
    gold = _page()
    pred = copy.deepcopy(gold)
    pred["articles"][1]["reporters"] = ["沈秋云"]
    pred["articles"][0]["reporters"] = ["周海宁", "周海宁"]
    pred["articles"][0]["captions"] = []
    scores = score_page(pred, gold)
    assert scores["reporter_f1"] == pytest.approx(2 / 3)  # p=2/3, r=2/3
    assert scores["caption_f1"] == 0.0


def test_missing_articles_and_empty_prediction():
    gold = _page()
    scores = score_page({"articles": []}, gold)
    assert scores["body_cer"] == 1.0
    assert scores["headline_f1"] == 0.0 and scores["boundary_f1"] == 0.0
    assert scores["articles_pred"] == 0


def test_seed_gold_scores_perfectly_against_itself(seed_gold):
    scores = score_page(seed_gold, seed_gold)
    assert scores["body_cer"] == 0.0 and scores["boundary_f1"] == 1.0 and scores["headline_f1"] == 1.0


def test_mean_scores_averages_rates_and_sums_counts():
    gold = _page()
    pred = copy.deepcopy(gold)
    pred["articles"][1]["headline"] = ["别的标题"]
    perfect, worse = score_page(gold, gold), score_page(pred, gold)
    mean = mean_scores([perfect, worse])
    assert mean["pages"] == 2
    assert mean["headline_f1"] == pytest.approx((perfect["headline_f1"] + worse["headline_f1"]) / 2)
    assert mean["articles_gold"] == 4
    assert mean["body_cer_pooled"] == 0.0
    assert mean["headline_f1_pooled"] == pytest.approx(3 / 4)


def test_pooled_f1_ignores_pages_with_nothing_to_find():
    gold = _page()
    missed = copy.deepcopy(gold)
    for article in missed["articles"]:
        article["captions"] = []
    no_captions = copy.deepcopy(gold)
    for article in no_captions["articles"]:
        article["captions"] = []
    mean = mean_scores([score_page(missed, gold), score_page(no_captions, no_captions)])
    assert mean["caption_f1"] == 0.5  # the empty page counts as perfect in the mean
    assert mean["caption_f1_pooled"] == 0.0


def test_score_page_files_and_cli(tmp_path):
    gold_path = tmp_path / "gold.json"
    pred_path = tmp_path / "pred.json"
    gold_path.write_text(json.dumps(_page(), ensure_ascii=False), encoding="utf-8")
    pred = _page()
    pred["articles"][0]["headline"] = ["别的标题"]
    pred_path.write_text(json.dumps(pred, ensure_ascii=False), encoding="utf-8")
    assert score_page_files(pred_path, gold_path)["headline_f1"] == 0.5

    result = CliRunner().invoke(cli, ["eval", "page", str(pred_path), str(gold_path), "--json"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["headline_f1"] == 0.5

    bad = tmp_path / "bad.json"
    bad.write_text("[1, 2]", encoding="utf-8")
    with pytest.raises(InputError):
        score_page_files(pred_path, bad)
    result = CliRunner().invoke(cli, ["eval", "page", str(pred_path), str(bad)])
    assert result.exit_code == 1 and result.output.startswith("Error:")


def test_eval_page_on_folders_prints_the_table_of_means_and_pooled(tmp_path):
    import json as _json

    from click.testing import CliRunner

    from newsnlp import parse_text
    from newsnlp.cli import cli

    raw = "河道整治见成效\n\n本报讯（记者 林晓东）近日，城区三条河道完成清淤，水质明显好转。\n"
    pages, golds = tmp_path / "pages", tmp_path / "gold"
    pages.mkdir()
    golds.mkdir()
    (pages / "p1.txt").write_text(raw, encoding="utf-8")
    gold = parse_text(raw, analyze=False).to_dict()
    (golds / "p1.gold.json").write_text(_json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    wrong = dict(gold, articles=[dict(gold["articles"][0], headline=["别的标题"])])
    (pages / "p2.json").write_text(_json.dumps(wrong, ensure_ascii=False), encoding="utf-8")
    (golds / "p2.gold.json").write_text(_json.dumps(gold, ensure_ascii=False), encoding="utf-8")
    (pages / "no-gold.txt").write_text(raw, encoding="utf-8")  # no gold: not scored
    result = CliRunner().invoke(cli, ["eval", "page", str(pages), str(golds)])
    assert result.exit_code == 0, result.output
    assert result.output.startswith("2 pages")
    row = next(line for line in result.output.splitlines() if line.startswith("headline F1"))
    assert [float(x) for x in row.split()[2:]] == [0.5, 0.5]
    mixed = CliRunner().invoke(cli, ["eval", "page", str(pages), str(golds / "p1.gold.json")])
    assert mixed.exit_code == 2 and "both be files or both be folders" in mixed.output
