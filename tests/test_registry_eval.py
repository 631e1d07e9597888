"""Scoring functions of ``newsnlp eval registry`` (issue #18) on tiny made-up gold and predictions."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsnlp import registry_eval as RE
from newsnlp.cli import cli


def gold_person(pid, name, posts, events=(), part="dev"):
    return {"id": pid, "name": name, "part": part,
            "posts": [{"title": t, "org": o, "place": pl, "articles": list(a)} for t, o, pl, a in posts],
            "events": [dict(zip(("kind", "title", "org", "date", "article"), e)) for e in events]}


def pred_person(pid, name, posts, events=()):
    return {"id": pid, "name": name,
            "posts": [{"title": t, "org": o, "place": pl, "articles": list(a), "first_seen": None,
                       "last_seen": None, "mentions": len(a)} for t, o, pl, a in posts],
            "events": [dict(zip(("kind", "title", "org", "date", "article"), e)) for e in events]}


def test_keys_normalise_status_and_names():
    assert RE.title_key("原县长") == RE.title_key("县长") == "县长"
    assert RE.title_key("代理县长") == RE.title_key("代县长") == "代县长"
    assert RE.title_key("副县长") == "副县长"
    assert RE.title_key("特命全权大使") == "大使"
    assert RE.org_key("中共甲乙县委") == "甲乙县委"
    assert RE.org_key("中共中央办公厅") == "中共中央办公厅"
    assert RE.org_key("甲省人民政府") == "甲省政府"
    assert RE.org_key("中华人民共和国驻某国") == "驻某国"
    assert RE.org_key("甲省人大") == "甲省人大常委会"


def test_post_matching_is_place_insensitive_only_when_gold_has_no_place():
    gold_placed = {"title": "书记", "org": "甲乙县委", "place": "甲乙县"}
    gold_unplaced = {"title": "书记", "org": "县委", "place": ""}
    assert RE.post_matches(gold_placed, {"title": "书记", "org": "县委", "place": "甲乙县"})
    assert not RE.post_matches(gold_placed, {"title": "书记", "org": "县委", "place": "丙丁县"})
    assert not RE.post_matches(gold_placed, {"title": "书记", "org": "县委", "place": ""})
    assert RE.post_matches(gold_unplaced, {"title": "书记", "org": "县委", "place": "丙丁县"})
    assert RE.post_matches(gold_unplaced, {"title": "原书记", "org": "县委", "place": ""})
    assert not RE.post_matches(gold_unplaced, {"title": "副书记", "org": "县委", "place": ""})
    assert RE.post_matches({"title": "部长", "org": "某某部", "place": ""}, {"title": "部长", "org": "某某部", "place": ""})


def test_pairs_map_predicted_people_by_shared_mentions():
    gold = [gold_person("g1", "张甲", [("书记", "甲乙县委", "甲乙县", ["a1", "a2"]), ("县长", "甲乙县政府", "甲乙县", ["a3"])]),
            gold_person("g2", "张甲", [("局长", "某某局", "", ["a9"])])]  # same name, another person
    pred = [pred_person("p1", "张甲", [("书记", "县委", "甲乙县", ["a1", "a2"]), ("副书记", "县委", "甲乙县", ["a2"])]),
            pred_person("p2", "张甲", [("局长", "某某局", "", ["a9"])]),
            pred_person("p3", "李乙", [("主任", "某办", "", ["a1"])])]  # nobody in the gold
    assert RE.map_people(gold, pred) == {"p1": "g1", "p2": "g2", "p3": None}
    s = RE.score_pairs(gold, pred)
    assert (s["gold"], s["predicted"]) == (3, 4)
    assert s["precision"] == pytest.approx(2 / 4) and s["recall"] == pytest.approx(2 / 3)
    assert {m["title"] for m in s["misses"]} == {"县长"}
    assert {e["title"] for e in s["extras"]} == {"副书记", "主任"}


def test_bcubed_over_article_name_mentions():
    gold = [gold_person("g1", "王丙", [("书记", "县委", "", ["a1", "a2"])]),
            gold_person("g2", "王丙", [("局长", "某局", "", ["a3"])])]
    merged = [pred_person("p1", "王丙", [("书记", "县委", "", ["a1", "a2"]), ("局长", "某局", "", ["a3"])])]
    s = RE.score_bcubed(gold, merged)
    # precision: a1, a2 -> 2/3 each, a3 -> 1/3; recall 1
    assert s["precision"] == pytest.approx((2 / 3 + 2 / 3 + 1 / 3) / 3) and s["recall"] == 1.0
    split = [pred_person("p1", "王丙", [("书记", "县委", "", ["a1"])]),
             pred_person("p2", "王丙", [("书记", "县委", "", ["a2", "x9"])])]  # x9 not in gold: left out
    s = RE.score_bcubed(gold, split)  # a3 missing: a predicted singleton
    assert s["precision"] == 1.0 and s["recall"] == pytest.approx((1 / 2 + 1 / 2 + 1) / 3)
    assert s["mentions"] == 3


def test_events_need_kind_post_and_date():
    gold = [gold_person("g1", "赵丁", [("副部长", "某某部", "", ["a1"])],
                        [("appoint", "副部长", "某某部", "2019-02-15", "a1"),
                         ("remove", "校长", "某大学", "2019-02-15", "a1")])]
    pred = [pred_person("p1", "赵丁", [("副部长", "某某部", "", ["a1"])],
                        [("appoint", "副部长", "某某部", "2019-02-15", "a1"),
                         ("remove", "校长", "某大学", "2019-02-16", "a1"),   # wrong date
                         ("hold", "副部长", "某某部", "2019-02-16", "a1")])]  # not scored
    s = RE.score_events(gold, pred)
    assert (s["gold"], s["predicted"]) == (2, 2)
    assert s["precision"] == 0.5 and s["recall"] == 0.5 and s["f1"] == 0.5


def test_restrict_keeps_a_parts_articles():
    pred = [pred_person("p1", "钱戊", [("书记", "县委", "", ["a1", "a2"])], [("elect", "书记", "县委", "2019", "a2")])]
    cut = RE.restrict(pred, {"a1"})
    assert cut[0]["posts"][0]["articles"] == ["a1"] and cut[0]["events"] == []
    assert RE.restrict(pred, {"zz"}) == []


def test_perfect_prediction_scores_one():
    gold = [gold_person("g1", "孙己", [("省长", "甲省政府", "甲省", ["a1"])], [("elect", "省长", "甲省政府", "1998-01-13", "a1")])]
    pred = [pred_person("p1", "孙己", [("省长", "省政府", "甲省", ["a1"])], [("elect", "省长", "甲省政府", "1998-01-13", "a1")])]
    s = RE.score_registry(gold, pred)
    assert s["pairs"]["f1"] == s["bcubed"]["f1"] == s["events"]["f1"] == 1.0


def test_load_gold_reads_articles_and_people(tmp_path):
    (tmp_path / "articles.txt").write_text("# comment\nrmrb2019 20190101-01-01\npd1998 19980101-01-001\n", encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text(json.dumps(gold_person("g1", "周庚", [])) + "\n", encoding="utf-8")
    items, people = RE.load_gold(tmp_path)
    assert items == [("rmrb2019", "20190101-01-01"), ("pd1998", "19980101-01-001")]
    assert people[0]["name"] == "周庚"


def test_cli_skips_without_data(tmp_path):
    (tmp_path / "articles.txt").write_text("rmrb2019 20190101-01-01\n", encoding="utf-8")
    (tmp_path / "gold.jsonl").write_text("", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "registry", "--gold", str(tmp_path), "--data", str(tmp_path / "nope")])
    assert result.exit_code == 0
    assert "skipping the registry gold" in result.output
