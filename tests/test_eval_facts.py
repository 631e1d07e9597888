"""`newsnlp eval facts`: scoring a parsed page's facts against a gold facts file."""
from click.testing import CliRunner

from newsnlp.cli import cli
from newsnlp.evaluate import score_facts

GOLD = {
    "officials": [{"article": 1, "name": "张三", "title": "局长", "org": "某局"}],
    "reporters": [{"article": 1, "name": "李四"}],
    "persons": ["张三"], "places": [], "organizations": ["某局"],
    "dates": [{"article": 1, "text": "10月11日", "value": "2022-10-11"},
              {"article": 1, "text": "2021至2022学年", "value": "2021/2022", "optional": True}],
    "figures": [{"article": 1, "text": "7个", "value": 7, "unit": "个", "count": 2}],
    "not_figures": ["12366"], "quoted_terms": ["双减"], "topics": {"1": ["education"]},
}


def _page(**article):
    base = {"reporters": ["李四"], "officials": [{"name": "张三", "title": "局长", "org": "某局", "sentence": ""}],
            "entities": [{"text": "张三", "type": "person", "start": 0, "end": 2}],
            "figures": [{"text": "7个", "value": 7, "unit": "个"}] * 2,
            "dates": [{"text": "10月11日", "value": "2022-10-11", "end": None}],
            "quoted_terms": [{"term": "双减", "count": 1}], "topics": [{"label": "education", "score": 0.9}]}
    base.update(article)
    return {"articles": [base]}


def test_perfect_page_scores_one():
    s = score_facts(_page(), GOLD)
    assert s["officials"]["f1"] == s["reporters"]["f1"] == s["figures"]["f1"] == s["dates"]["f1"] == 1.0
    assert s["persons"]["f1"] == 1.0 and s["topics_top1"] == 1.0 and s["figures"]["not_figures_reported"] == 0


def test_each_error_moves_its_metric():
    s = score_facts(_page(officials=[], figures=[{"text": "12366个", "value": 12366, "unit": "个"}],
                          dates=[{"text": "6月4日", "value": "2022-06-04", "end": None}],
                          topics=[{"label": "sports", "score": 0.9}]), GOLD)
    assert s["officials"]["recall"] == 0.0
    assert s["figures"]["f1"] == 0.0 and s["figures"]["not_figures_reported"] == 1
    assert s["dates"]["precision"] == 0.0
    assert s["topics_top1"] == 0.0


def test_school_year_range_matches_optional_gold_without_penalty():
    dates = [{"text": "10月11日", "value": "2022-10-11", "end": None}, {"text": "学年", "value": "2021", "end": "2022"}]
    assert score_facts(_page(dates=dates), GOLD)["dates"]["f1"] == 1.0


def test_sample_page_end_to_end(sample_page_path, seed_facts, tmp_path):
    """The whole pipeline on the real page meets the extraction targets of the project."""
    result = CliRunner().invoke(cli, ["eval", "facts", str(sample_page_path), str(_write(tmp_path, seed_facts)), "--json"])
    assert result.exit_code == 0, result.output
    import json

    s = json.loads(result.output)
    assert s["officials"]["f1"] >= 0.9
    assert s["persons"]["f1"] >= 0.95
    assert s["figures"]["f1"] >= 0.95 and s["figures"]["not_figures_reported"] == 0
    assert s["dates"]["f1"] >= 0.95
    assert s["topics_top1"] == 1.0


def _write(tmp_path, facts):
    import json

    path = tmp_path / "facts.json"
    path.write_text(json.dumps(facts, ensure_ascii=False), encoding="utf-8")
    return path


def test_eval_persons_scores_the_2019_gold_per_part(shared_data):
    import json
    from pathlib import Path

    result = CliRunner().invoke(cli, ["eval", "persons", "--part", "dev", "--json"])
    assert result.exit_code == 0, result.output
    s = json.loads(result.output)["rmrb2019_dev"]
    assert s["articles"] >= 50 and s["persons"]["gold"] > 200
    assert 0.0 <= s["unseen_recall"] <= 1.0 and s["officials"]["f1"] > 0.5
    gold = Path(__file__).resolve().parent.parent / "corpus" / "facts2019" / "persons_officials.jsonl"
    records = [json.loads(line) for line in gold.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 100 and sum(r["part"] == "heldout" for r in records) >= 40


def test_eval_persons_skips_without_articles(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "persons", "--articles", str(tmp_path / "nowhere")])
    assert result.exit_code == 0 and "skipping" in result.output


def test_score_persons_counts_sets_credits_and_unseen_names(tmp_path):
    import gzip
    import json

    from newsnlp.evaluate import score_persons_officials

    article = {"id": "20190101-01-01", "paragraphs": ["本报北京1月1日电 （记者王小明）副市长柯沐阳说，工作顺利。柯沐阳还说，要加油。"]}
    with gzip.open(tmp_path / "rmrb_2019_01_articles.jsonl.gz", "wt", encoding="utf-8") as fh:
        fh.write(json.dumps(article, ensure_ascii=False) + "\n")
    records = [{"id": article["id"], "date": "2019-01-01", "part": "dev", "persons": ["柯沐阳"],
                "officials": [{"name": "柯沐阳", "title": "副市长"}]}]
    s = score_persons_officials("gold", tmp_path, "dev", records=records)
    assert s["persons"]["f1"] == 1.0 and s["officials"]["f1"] == 1.0
    assert s["unseen_gold"] == 1 and s["unseen_recall"] == 1.0
