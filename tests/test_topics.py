"""Topic tagging: the shipped model, training a user taxonomy, model files, discovery, CLI."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsnlp import topics
from newsnlp.cli import cli
from newsnlp.errors import InputError, ModelError
from newsnlp.model import Article, Block, Page, Topic
from newsnlp.store import PageStore

ROOT = Path(__file__).resolve().parent.parent
LABELS = ROOT / "corpus" / "topics" / "pd1998_labels.jsonl"

# Small invented training set for a user taxonomy (not the default one).
USER_RECORDS = [
    {"headline": "寒潮来袭气温骤降", "text": "气象台发布寒潮预警，明天最低气温零下十度，有大风降温。", "labels": ["weather"]},
    {"headline": "本周多雨", "text": "受冷空气影响，本周将有中到大雨，气温下降，市民出行注意天气变化。", "labels": ["weather"]},
    {"headline": "暴雪预警", "text": "气象部门预计今夜有暴雪，气温继续下降，大风天气将持续两天。", "labels": ["weather"]},
    {"headline": "新店开张", "text": "这家饭店的招牌菜红烧肉味道鲜美，面条和饺子也很受食客欢迎。", "labels": ["food"]},
    {"headline": "美食节开幕", "text": "美食节上，各地小吃、烤鸭、火锅吸引市民品尝，饭店生意火爆。", "labels": ["food", "weather"]},
    {"headline": "年夜饭预订火爆", "text": "饭店推出年夜饭套餐，饺子、鱼和红烧肉是食客最爱的菜。", "labels": ["food"]},
]


def write_jsonl(path: Path, records) -> Path:
    path.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def user_model():
    return topics.train(USER_RECORDS, c=10.0)


# --------------------------------------------------------------------------- shipped model

def test_taxonomy_has_the_fifteen_default_labels():
    assert len(topics.DEFAULT_LABELS) == 15 == len(set(topics.DEFAULT_LABELS))
    assert {"politics", "discipline", "public-safety", "international"} <= set(topics.DEFAULT_LABELS)


def test_shipped_model_records_its_version_and_is_cached():  # load time: benchmarks/bench_topics.py
    model = topics.load_model()
    assert model.labels == topics.DEFAULT_LABELS
    header = topics.read_header(topics.DEFAULT_MODEL_PATH)
    assert header["sklearn_version"] == model.sklearn_version != ""
    assert topics.load_model() is model


def test_predict_returns_primary_first_then_labels_above_threshold():
    model = topics.load_model()
    found = model.predict("市纪委监察委通报三起违反中央八项规定精神典型问题，强调党员干部要廉洁自律。",
                          headline="持续纠治“四风”")
    assert found and all(isinstance(t, Topic) for t in found)
    assert found[0].label == "discipline"
    doc = topics.prepare("市纪委监察委通报三起违反中央八项规定精神典型问题，强调党员干部要廉洁自律。", "持续纠治“四风”")
    assert found[0].label == model.labels[int(model.primary_scores([doc])[0].argmax())]
    scores = [t.score for t in found]
    assert scores[1:] == sorted(scores[1:], reverse=True) and all(0 <= s <= 1 for s in scores)
    assert all(t.score >= model.threshold for t in found[1:])
    assert len({t.label for t in found}) == len(found) <= model.max_labels


@pytest.mark.parametrize("headline, text, expected", [
    ("男篮联赛主场告捷", "全国男子篮球联赛昨晚继续进行，主队以九十比八十五战胜客队，球员发挥出色。", "sports"),
    ("夏粮收购工作启动", "各地粮食部门做好夏粮收购，保护农民种粮积极性，确保颗粒归仓。", "agriculture"),
    ("外长举行会谈", "外交部长同来访的法国外长举行会谈，双方就双边关系和国际地区问题交换意见。", "international"),
])
def test_predict_obvious_articles(headline, text, expected):
    assert topics.load_model().predict(text, headline=headline)[0].label == expected


def test_fast_scores_equal_the_fitted_scikit_learn_features():
    import numpy as np

    model = topics.load_model()
    docs = [topics.prepare("会议部署冬季消防安全和隐患排查整治工作。", "全市安全生产工作会议召开"),
            topics.prepare("", "只有标题"), topics.prepare("只有正文，没有标题。"), topics.prepare("")]
    x = model.features.transform(docs)
    probs = 1 / (1 + np.exp(-np.asarray(x @ model.coef + model.intercept)))
    assert np.allclose(model.scores(docs), probs, atol=1e-5)
    assert model.nb_weight > 0  # the primary label also reads a ComplementNB (chosen by CV)
    jll = np.asarray(x @ model.nb_coef)
    p_nb = np.exp(jll - jll.max(axis=1, keepdims=True))
    p_nb /= p_nb.sum(axis=1, keepdims=True)
    expected = (1 - model.nb_weight) * probs / probs.sum(axis=1, keepdims=True) + model.nb_weight * p_nb
    assert np.allclose(model.primary_scores(docs), expected, atol=1e-5)


def test_predict_many_matches_predict_and_checks_lengths():
    model = topics.load_model()
    texts = ["学校开展安全教育，老师给学生讲解防火知识。", "医院开通绿色通道，方便患者就医。"]
    assert model.predict_many(texts) == [model.predict(t) for t in texts]
    assert model.predict_many([]) == []
    with pytest.raises(InputError):
        model.predict_many(texts, ["only one headline"])


def test_sample_page_primary_labels_are_gold(seed_gold, seed_facts):
    model = topics.load_model()
    for number, gold in enumerate(seed_gold["articles"], 1):
        article = Article(id=str(number), headline=gold["headline"],
                          body=[Block(b.get("kind", "p"), b["text"]) for b in gold["body"]])
        topics.tag_article(article, model)
        assert article.topics[0].label in seed_facts["topics"][str(number)], (number, article.topics)


def test_tag_articles_sets_topics_on_each_article():
    articles = [Article(id="1", headline=["全市安全生产工作会议召开"], body=[Block("p", "会议部署冬季消防安全和隐患排查整治工作。")]),
                Article(id="2", headline=[], body=[])]
    topics.tag_articles(articles)
    assert articles[0].topics[0].label == "public-safety"
    assert len(articles[1].topics) >= 1  # an empty article still gets its most likely label


# --------------------------------------------------------------------------- model files

def test_user_taxonomy_trains_saves_and_loads(tmp_path, user_model):
    assert user_model.labels == ["food", "weather"]
    path = topics.save(user_model, tmp_path / "user.model")
    loaded = topics.load_model(path)
    assert loaded.predict("明天有大风降温，最低气温零下五度。")[0].label == "weather"
    assert loaded.predict("饭店的饺子和红烧肉很受欢迎。", headline="美食")[0].label == "food"


def test_nb_weight_zero_trains_regressions_only():
    model = topics.train(USER_RECORDS, c=10.0, nb_weight=0)
    assert model.nb_coef is None
    text = "美食节上有烤鸭和火锅，但气温下降，有大风。"
    probs = model.scores([topics.prepare(text)])[0]
    assert model.predict(text)[0].label == model.labels[int(probs.argmax())]


def test_version_mismatch_is_a_one_line_model_error(tmp_path, user_model):
    path = topics.save(user_model, tmp_path / "old.model")
    data = path.read_bytes()
    header, payload = data.split(b"\n", 1)
    meta = json.loads(header[len(b"NEWSNLP-TOPICS "):])
    meta["sklearn_version"] = "0.24.2"
    path.write_bytes(b"NEWSNLP-TOPICS " + json.dumps(meta).encode() + b"\n" + payload)
    with pytest.raises(ModelError, match=r"scikit-learn 0\.24\.2 .*newsnlp topics train") as info:
        topics.load_model(path)
    assert "\n" not in str(info.value)


@pytest.mark.parametrize("content", [b"", b"hello\n", b"NEWSNLP-TOPICS {not json\n", b'NEWSNLP-TOPICS {"format": "x"}\n'])
def test_bad_model_files_raise_model_error(tmp_path, content):
    path = tmp_path / "bad.model"
    path.write_bytes(content)
    with pytest.raises(ModelError):
        topics.load_model(path)


def test_truncated_payload_and_missing_file_raise_model_error(tmp_path, user_model):
    path = topics.save(user_model, tmp_path / "cut.model")
    path.write_bytes(path.read_bytes()[:-200])
    with pytest.raises(ModelError, match="damaged"):
        topics.load_model(path)
    with pytest.raises(ModelError, match="not found"):
        topics.load_model(tmp_path / "missing.model")


def test_training_needs_labels():
    with pytest.raises(InputError, match="labels"):
        topics.train([{"text": "一些文字"}])
    with pytest.raises(InputError, match="2 different labels"):
        topics.train([{"text": "一些文字", "labels": ["a"]}, {"text": "别的文字", "labels": ["a"]}])


# --------------------------------------------------------------------------- records and the labelled corpus

def test_read_records_csv_and_split(tmp_path):
    csv_path = tmp_path / "x.csv"
    csv_path.write_text("headline,text,labels\n标题,正文内容,food;weather\n,只有正文,food\n", encoding="utf-8")
    records = topics.read_records(csv_path)
    assert [r["labels"] for r in records] == [["food", "weather"], ["food"]]
    jl = write_jsonl(tmp_path / "x.jsonl", [{"text": "a", "labels": ["x"], "split": "heldout"}, {"text": "b", "labels": ["y"]}])
    assert [r["text"] for r in topics.read_records(jl, split="train")] == ["b"]
    assert [r["text"] for r in topics.read_records(jl, split="heldout")] == ["a"]


def test_unknown_ids_are_input_errors(tmp_path):
    jl = write_jsonl(tmp_path / "x.jsonl", [{"id": "some-article", "labels": ["x"]}])
    with pytest.raises(InputError, match="neither"):
        topics.read_records(jl)


def test_committed_labels_use_the_taxonomy_and_a_fixed_heldout_split():
    records = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    assert len(records) >= 2200  # 1,221 labelled in round 1, 723 training-split articles in batch 2, 283 in batch 3
    assert len({r["id"] for r in records}) == len(records)
    assert all(set(r["labels"]) <= set(topics.DEFAULT_LABELS) for r in records)
    held = [r for r in records if r["split"] == "heldout"]
    assert all((r["split"] == "heldout") == topics.heldout(r["id"]) for r in records)
    assert 0.1 < len(held) / len(records) < 0.3
    assert {r["labels"][0] for r in held} >= set(topics.DEFAULT_LABELS) - {"discipline", "public-safety"}


def test_labels_file_is_regenerated_from_the_worksheet():
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_labels", LABELS.parent / "make_labels.py")
    make_labels = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_labels)
    records = [json.loads(line) for line in LABELS.read_text(encoding="utf-8").splitlines()]
    assert make_labels.pd_records() == records  # run make_labels.py after editing the worksheet


def test_pd1998_ids_join_with_their_texts(shared_data):
    records = topics.read_records(LABELS, shared_data=shared_data, split="heldout")
    assert records and all(r["headline"] and "text" in r for r in records)
    assert not {r["id"] for r in records} & {r["id"] for r in topics.read_records(LABELS, shared_data=shared_data, split="train")}


def test_eval_topics_cli_on_heldout_split(shared_data):
    result = CliRunner().invoke(cli, ["eval", "topics", str(LABELS), "--split", "heldout", "--json",
                                      "--shared-data", str(shared_data)])
    assert result.exit_code == 0, result.output
    scores = json.loads(result.output)
    assert scores["articles"] > 100
    assert scores["top1_accuracy"] >= 0.84 and scores["macro_f1"] >= 0.75  # regression guard (see corpus/topics/README.md)


# --------------------------------------------------------------------------- CLI and discovery

def test_train_and_eval_cli_with_a_user_taxonomy(tmp_path):
    data = write_jsonl(tmp_path / "train.jsonl", USER_RECORDS)
    out = tmp_path / "m.model"
    runner = CliRunner()
    result = runner.invoke(cli, ["topics", "train", "--data", str(data), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert out.is_file() and "2 labels" in result.output
    result = runner.invoke(cli, ["eval", "topics", str(data), "--model", str(out)])
    assert result.exit_code == 0, result.output
    assert "top1_accuracy" in result.output and "macro_f1" in result.output


def test_cli_errors_are_one_line(tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text("{not json\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["topics", "train", "--data", str(bad), "--out", str(tmp_path / "m")])
    assert result.exit_code == 1 and result.output.startswith("Error:") and "Traceback" not in result.output
    gold = write_jsonl(tmp_path / "gold.jsonl", USER_RECORDS)
    result = CliRunner().invoke(cli, ["eval", "topics", str(gold), "--model", str(bad)])
    assert result.exit_code == 1 and "not a newsnlp topics model" in result.output


def _archive(tmp_path: Path) -> Path:
    store = PageStore(tmp_path / "arch")
    themes = [
        ("2022-09-0{}", "篮球比赛", "篮球 比赛 球队 球员 比分 冠军 联赛 主场"),
        ("2022-10-0{}", "粮食丰收", "粮食 农民 丰收 小麦 种植 农业 收购 玉米"),
    ]
    for p, (date, head, words) in enumerate(themes):
        for i in range(1, 7):
            arts = [Article(id=f"{p}-{i}", headline=[head], body=[Block("p", words * 2)])]
            store.save(Page(source=f"/x/{p}-{i}.txt", publication_date=date.format(i), articles=arts))
    return store.root


def test_discover_finds_topics_with_month_counts(tmp_path):
    found = topics.discover(topics.archive_items(_archive(tmp_path)), k=2, top_words=5)
    assert len(found) == 2 and sum(t["articles"] for t in found) == 12
    by_words = {("球员" in t["top_words"]): t for t in found}
    assert by_words[True]["by_month"] == {"2022-09": 6}
    assert by_words[False]["by_month"] == {"2022-10": 6}
    with pytest.raises(InputError, match="too few"):
        topics.discover(topics.archive_items(_archive(tmp_path / "b")), k=50)


def test_discover_cli(tmp_path):
    archive = _archive(tmp_path)
    result = CliRunner().invoke(cli, ["topics", "discover", "--archive", str(archive), "-k", "2", "--json"])
    assert result.exit_code == 0, result.output
    assert len(json.loads(result.output)) == 2
    result = CliRunner().invoke(cli, ["topics", "discover", "--archive", str(archive), "-k", "2"])
    assert result.exit_code == 0 and "2022-09:6" in result.output
    result = CliRunner().invoke(cli, ["topics", "discover", "--archive", str(tmp_path / "none")])
    assert result.exit_code == 1 and result.output.startswith("Error: no archive")
