"""Names (person/place/org) with offsets, anaphora, and `newsnlp eval ner`."""
from __future__ import annotations

from collections import Counter

import pytest
from click.testing import CliRunner

from newsnlp.cli import cli
from newsnlp.extract import ner_eval
from newsnlp.extract.entities import bio_spans, entities


def _by_type(text: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {"person": set(), "place": set(), "org": set()}
    for e in entities(text):
        assert text[e.start:e.end] == e.text
        if e.refers_to is None:
            out[e.type].add(e.text)
    return out


def test_bio_spans_decodes_types_and_stray_inside_tags():
    tags = ["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-ORG", "B-ORG", "I-ORG"]
    assert bio_spans(tags) == [(0, 2, "PER"), (3, 5, "LOC"), (5, 6, "ORG"), (6, 8, "ORG")]


@pytest.mark.parametrize("text, kind, name", [
    ("记者从郑州市城乡一体化示范区住房保障局了解到，今年新建保障房1200套。", "org", "郑州市城乡一体化示范区住房保障局"),
    ("近日，县纪委监察委员会召开专题会议。", "org", "县纪委监察委员会"),
    ("活动中，高新区财政局局长王建国作了说明。", "org", "高新区财政局"),
    ("东风路小学和红旗街道办事处联合开展活动。", "org", "红旗街道办事处"),
    ("河南省洛阳市召开全市经济工作会议，市长刘伟主持。", "person", "刘伟"),
    ("外交部发言人华春莹在北京表示欢迎。", "person", "华春莹"),
    ("外交部发言人华春莹在北京表示欢迎。", "place", "北京"),
])
def test_finds_names_whole(text, kind, name):
    assert name in _by_type(text)[kind]


def test_name_list_printed_without_separators_is_split():
    assert {"王建国", "李志强", "张伟"} <= _by_type("出席会议的有王建国李志强张伟。")["person"]


def test_foreign_names_are_not_split():
    assert "普里马科夫" in _by_type("俄罗斯总统叶利钦会见了普里马科夫。")["person"]


def test_names_never_start_or_end_with_punctuation():
    text = "大会选举产生主席团，主席团成员随后开会。请读《光明日报》。"
    for e in entities(text):
        assert e.text[0] not in "，。“”《》（）" and e.text[-1] not in "，。“”《》（）", e.text


def test_numbered_list_items_are_separate_names():
    found = _by_type("现任英国首相是：①布莱尔②史密斯③库克")["person"]
    assert {"布莱尔", "史密斯", "库克"} <= found
    assert not any("②" in x or "③" in x for x in found)


def test_place_dash_organisation_is_one_organisation():
    found = _by_type("出席的还有秘鲁—中国友好协会主席和中国—东盟商务理事会代表。")
    assert {"秘鲁—中国友好协会", "中国—东盟商务理事会"} <= found["org"]
    assert "秘鲁" not in found["place"] and "中国" not in found["place"]


@pytest.mark.parametrize("name", ["谢瓦尔德纳泽", "桥本龙太郎", "格雷厄姆·弗赖", "尧西·索朗卓玛"])
def test_name_list_split_leaves_foreign_and_dotted_names_whole(name):
    """Splitting these lost more names than it found on People's Daily 1998 dev days."""
    from newsnlp.extract.entities import _split_name_list

    assert _split_name_list(name, [0, len(name), "PER"]) == [[0, len(name), "PER"]]


def test_two_names_of_four_characters_with_common_surnames_are_split():
    assert {"刘钊", "陈菲"} <= _by_type("出席会议的有王建国李志强刘钊陈菲等。")["person"]


def test_cross_strait_is_a_place_but_river_banks_are_not():
    assert "两岸" in _by_type("双方就发展两岸关系交换了意见。")["place"]
    assert "两岸" not in _by_type("长江两岸绿树成荫。")["place"]


def test_anaphora_refers_to_last_matching_name():
    text = "市交通运输局召开会议。会上，县教育局作了发言。该局局长李明表示，该局将继续努力。"
    found = [e for e in entities(text) if e.refers_to]
    assert [(e.text, e.type, e.refers_to) for e in found] == [
        ("该局", "org", "县教育局"), ("该局", "org", "县教育局")]
    assert all(text[e.start:e.end] == "该局" for e in found)


def test_place_anaphora():
    text = "近日，郑州市金水区召开会议，该区将新增学位3000个。"
    (ana,) = [e for e in entities(text) if e.refers_to]
    assert (ana.type, ana.refers_to) == ("place", "金水区")


def test_userdict_names_are_always_reported():
    text = "晨曦合唱团在广场演出。"
    found = entities(text, userdict={"晨曦合唱团": "org"})
    assert any(e.text == "晨曦合唱团" and e.type == "org" and (e.start, e.end) == (0, 5) for e in found)


@pytest.mark.parametrize("text, mention, surname", [
    ("这件事是朱总亲自抓的。", "朱总", "朱"),  # the model alone reads 朱总
    ("她叫来了马叔。", "马叔", "马"),  # ... 马叔
    ("等谢书记起身追时，他已走了。", "谢书记", "谢"),  # ... nothing
    ("老李和小张来了。", "老李", "李"),
])
def test_a_person_addressed_by_surname_is_the_printed_mention_with_a_flag(text, mention, surname):
    """Never a lone surname: the mention (朱总, 老李) flagged ``form="address"``; its name
    span (what MSRA tags, and ``newsnlp eval ner`` scores) is the surname alone."""
    from newsnlp.extract.entities import name_span

    people = [e for e in entities(text) if e.type == "person"]
    assert mention in {e.text for e in people}
    (e,) = [e for e in people if e.text == mention]
    assert e.form == "address" and text[slice(*name_span(e))] == surname


def test_no_person_is_ever_a_lone_surname():
    text = "老李和小张来了，谢书记也来了。涉案人员王某某被依法刑拘，王某某的家属表示理解。"
    people = [e for e in entities(text) if e.type == "person"]
    assert people and all(len(e.text) > 1 for e in people)
    assert {(e.text, e.form) for e in people} >= {("王某某", "anonymised"), ("谢书记", "address")}


def test_flagged_mentions_keep_their_posts_and_stay_out_of_the_person_facet():
    from newsnlp.extract import analyze
    from newsnlp.index.schema import article_document
    from newsnlp.model import Article, Block, Page

    text = "县委谢书记主持会议，老李发言。县长张明远出席。"
    facts = analyze(text)
    assert ("谢", "书记", "县委") in {(o.name, o.title, o.org) for o in facts.officials}
    article = Article(id="a", headline=["会议"], body=[Block("p", text)], entities=facts.entities,
                      officials=facts.officials)
    doc = article_document(Page(source="/x.txt", articles=[article]), article, 0, page_key="x")
    persons = str(doc["persons"])
    assert "张明远" in persons and "老李" not in persons and "谢书记" not in persons


def test_forms_of_address_are_found_on_their_own_but_not_inside_words():
    import importlib

    ent = importlib.import_module("newsnlp.extract.entities")
    text = "老李和小张来了，谢书记也来了。"
    assert [text[a:b] for a, b, k in ent._addressed_surnames(text, []) if k == "PER"] == ["李", "张", "谢"]
    # 王子, 总结, 总书记 are words; 小钱 and 老马 are words and 钱, 马 not strong surnames;
    # 养老 binds 老; 时 and 米 are hardly ever surnames; 向 rarely is
    for text in ("小王子是一本书。", "王总结了经验。", "小钱办大事，老马识途。", "向总书记汇报。",
                 "养老金和老人都要照顾，小时候吃小米。"):
        assert ent._addressed_surnames(text, []) == [], text


def test_memorised_training_names_are_reported_where_the_model_finds_nothing(monkeypatch):
    import importlib

    from newsnlp.extract import ner_features

    ent = importlib.import_module("newsnlp.extract.entities")
    monkeypatch.setattr(ner_features, "train_names", lambda: {"欧阳振华": (5, 5), "建华": (9, 40)})
    ent._memorised.cache_clear()
    monkeypatch.setattr(ent, "model_spans", lambda text: [])
    try:
        text = "《欧阳振华》一书写到建华大街。"
        people = {(e.text, e.start) for e in entities(text) if e.type == "person"}
    finally:
        ent._memorised.cache_clear()
    # a name tagged in 5 of its 5 occurrences is reported, also filling a title; one tagged in
    # 9 of 40 (a word, a street) is not
    assert people == {("欧阳振华", 1)}


def test_build_train_names_counts_tags_and_occurrences(tmp_path):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "train_ner", Path(__file__).resolve().parent.parent / "benchmarks" / "train_ner.py")
    train_ner = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(train_ner)
    bio = tmp_path / "train.txt"
    sentences = [("王小明说", "B-PER I-PER I-PER O"), ("王小明走", "B-PER I-PER I-PER O"),
                 ("王小明路", "B-LOC I-LOC I-LOC I-LOC"), ("李四来", "B-PER I-PER O")]
    bio.write_text("\n\n".join("\n".join(f"{c}\t{t}" for c, t in zip(text, tags.split()))
                               for text, tags in sentences) + "\n", encoding="utf-8")
    out = tmp_path / "names.txt"
    assert train_ner.build_train_names(bio, out) == 1  # 李四 is tagged once only
    rows = [line.split("\t") for line in out.read_text(encoding="utf-8").splitlines() if not line.startswith("#")]
    assert rows == [["王小明", "2", "3"]]
    assert train_ner.build_train_names(bio, out, sentences=1) == 0


def test_empty_text():
    assert entities("") == []


def test_msra_test_head_scores(shared_data):
    """First 150 MSRA test sentences: catches a broken model or feature drift."""
    path = shared_data / "msra_ner" / "msra_test_bio.txt"
    head = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            head.append(line)
            if not line.strip() and sum(1 for x in head if not x.strip()) >= 150:
                break
    import tempfile, os
    with tempfile.NamedTemporaryFile("w", encoding="utf-8", suffix=".txt", delete=False) as tmp:
        tmp.writelines(head)
    try:
        scores = ner_eval.score(tmp.name, ner_eval.predict_shipped)
        baseline = ner_eval.score(tmp.name, ner_eval.predict_jieba)
    finally:
        os.unlink(tmp.name)
    assert scores["overall"]["f1"] >= 0.85
    assert scores["PER"]["f1"] >= 0.85
    assert scores["overall"]["f1"] > baseline["overall"]["f1"] + 0.1


def test_seed_page_persons(seed_gold, seed_facts):
    found = set()
    for article in seed_gold["articles"]:
        text = "\n".join(b["text"] for b in article["body"])
        found |= {e.text for e in entities(text) if e.type == "person"}
    gold = set(seed_facts["persons"])
    tp = len(found & gold)
    f1 = 2 * tp / (len(found) + len(gold))
    print(f"seed persons F1 {f1:.3f} (found {len(found)}, gold {len(gold)})")
    assert f1 >= 0.95


def test_eval_ner_command(tmp_path):
    path = tmp_path / "mini.txt"
    path.write_text("李\tB-PER\n明\tI-PER\n在\tO\n北\tB-LOC\n京\tI-LOC\n\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["eval", "ner", "--data", str(path), "--baseline"])
    assert result.exit_code == 0, result.output
    assert "overall" in result.output and "jieba-pos" in result.output


def test_eval_ner_missing_file_is_a_one_line_error(tmp_path):
    result = CliRunner().invoke(cli, ["eval", "ner", "--data", str(tmp_path / "nope.txt")])
    assert result.exit_code == 1
    assert result.output.startswith("Error:")


def test_fast_feature_rows_match_training_features():
    """The tagger's shortcut (rows by character) must equal the training feature strings."""
    import numpy as np

    from newsnlp.extract import ner_features
    from newsnlp.extract.entities import _model

    model, tables = _model()
    sentences = ["中共中央总书记、国家主席江泽民发表１９９８年新年讲话。", "a", "县党委书记陈刚、县管委会主任李华出席会议 \t！"]
    fast = ner_features.rows_of_sentences(sentences, tables)
    slow = np.hstack([
        np.array([[model.attributes.get(x, 0) for x in col] for col in ner_features.columns(s)])
        for s in sentences
    ])
    # a model without the name shape templates gets only the first 15 rows (the rest would be 0)
    assert not (slow[len(fast):] != 0).any()
    assert fast.shape == slow[:len(fast)].shape and (fast == slow[:len(fast)]).all()


# --- name shape features (ner_features.name_columns) --------------------------------
def _name_features(text: str, **kw) -> list[list[str]]:
    """The name shape feature strings of each character of ``text``."""
    from newsnlp.extract import ner_features

    text = ner_features.normalise(text)
    _, pos = ner_features.jieba_tags(text)
    cols = ner_features.name_columns(text, [p in "BS" for p in pos], **kw)
    return [[c[i] for c in cols if c[i]] for i in range(len(text))]


def test_surname_candidate_fires_on_an_unseen_name_but_not_on_plain_characters():
    from newsnlp.extract import ner_features

    # 郜 is a listed surname too rare in MSRA train to be counted; 秀 and 英 are given-name characters
    assert ner_features.name_table().get("郜", (0, 0, 0))[0] < 2
    feats = _name_features("记者郜秀英说，")
    (name,) = [f for f in feats[2] if f.startswith("kB")]
    assert name[2:6] == "b100" and name[6] >= "1" and name[7] >= "1"  # word start, 郜秀/郜秀英 not words
    assert [f[:2] for f in feats[3] if f[0] in "ku"] == ["kM", "uM"]
    assert [f for f in feats[2] if f.startswith("uB")] == ["uBT3"]  # post before, 说 after a 3-char name
    assert not any(f[0] in "ku" for f in feats[0] + feats[1] + feats[5] + feats[6])
    # 高 is a surname, but 高兴 is a dictionary word: the candidate says so
    (word,) = [f for f in _name_features("他很高兴地说")[2] if f.startswith("kB")]
    assert word[4] == "1"
    assert not any(f[0] in "kuy" for f in _name_features("我们的")[2])


def test_compound_surname_keeps_its_given_name_slots():
    feats = _name_features("局长欧阳晓峰指出")
    assert any(f.startswith("kBC") for f in feats[2])
    assert any(f.startswith("kMC") for f in feats[4]) and any(f.startswith("kEC") for f in feats[5])


def test_name_counts_and_leave_own_names_out():
    from newsnlp.extract import ner_features

    text = "欧阳晓峰和李明说"
    tags = ["B-PER", "I-PER", "I-PER", "I-PER", "O", "B-PER", "I-PER", "O"]
    surname, given, total = ner_features.name_counts(text, tags)
    assert surname == Counter({"欧阳": 1, "李": 1}) and given == Counter("晓峰明") and total == Counter(text)
    # a sentence whose own counts are the whole table sees no levels at all
    table = ner_features.name_table()
    own = tuple(Counter({c: table.get(c, (0, 0, 0))[k] for c in text}) for k in range(3))
    assert any(f.startswith("y") for row in _name_features(text) for f in row)
    assert not any(f.startswith("y") for row in _name_features(text, own_names=own) for f in row)


def test_fast_rows_match_name_feature_strings():
    """``rows`` maps the name templates like ``columns`` (whatever the shipped model holds)."""
    import numpy as np

    from newsnlp.extract import ner_features

    sentences = ["局长欧阳晓峰指出，王", "a", "记者郜秀英、张小明报道：司马光说。李", "县委书记陈刚出席"]
    attributes: dict[str, int] = {}
    for s in sentences:
        for col in ner_features.columns(s):
            for x in col:
                if x is not None:
                    attributes.setdefault(x, len(attributes) + 1)
    fast = ner_features.rows_of_sentences(sentences, ner_features.Tables(attributes))
    slow = np.hstack([np.array([[attributes.get(x, 0) if x else 0 for x in col] for col in ner_features.columns(s)])
                      for s in sentences])
    assert fast.shape == slow.shape and (fast == slow).all()



def test_fixed_phrases_and_place_or_org_suffixes_mark_candidates():
    """v templates: a candidate that starts an idiom or ends in a place/organisation suffix says so."""
    from newsnlp.extract import ner_features

    phrases = ner_features.fixed_phrases()
    assert phrases.get("张灯结彩") == "I" and "江泽民" not in phrases  # jieba tags 江泽民 as a person
    feats = _name_features("街上张灯结彩")
    assert [f for f in feats[2] if f[0] == "v"] == ["vBI---"]
    assert [f for f in _name_features("他住在李家庄村")[3] if f[0] == "v"] == ["vB--PP"]  # 李家庄 + 村
    assert [f for f in _name_features("市公安分局")[2] if f[0] == "v"] == ["vB--O-"]  # 安分局
    # a plain name gets no v marks
    assert not any(f[0] == "v" for row in _name_features("记者郜秀英说，") for f in row)
    # a candidate starting a fixed phrase is no name start: only its v marks, no k or u
    assert not any(f[:2] in ("kB", "uB") for f in feats[2])
    # FEATURE_VERSION 2 columns (with_v=False) keep the k mark there and have no v
    old = ner_features.name_columns("街上张灯结彩", [True] * 6, with_v=False)
    assert len(old) == 8 and old[2][2].startswith("kB")


def test_candidate_inside_a_lexicon_place_or_organisation_gets_no_marks():
    from newsnlp.extract import ner_features

    text = "局长王明说"
    starts = [True, False, True, False, True]
    plain = ner_features.name_columns(text, starts, lex_tags=[None] * 5)
    assert plain[2][2].startswith("kB") and plain[5][2] == "uBT2"
    inside = ner_features.name_columns(text, starts, lex_tags=["BORG", "IORG", "IORG", "EORG", None])
    assert not any(col[k] for col in inside[2:] for k in range(5))
    # at the start of a lexicon match (BLOC) the candidate still fires
    start = ner_features.name_columns(text, starts, lex_tags=[None, None, "BLOC", "ELOC", None])
    assert start[2][2].startswith("kB")


def test_rows_skip_the_v_templates_for_a_model_trained_without_them():
    """A FEATURE_VERSION 2 model (y z k u, no v) must be tagged with exactly the features it was trained on."""
    import numpy as np

    from newsnlp.extract import ner_features

    sentences = ["街上张灯结彩，王", "他住在李家庄村，北京市西城区公安分局局长刘强说"]
    attributes: dict[str, int] = {}
    for s in sentences:
        for col in ner_features.columns(s, with_v=False):
            for x in col:
                if x is not None and x[0] not in ner_features.CLUSTER_TEMPLATES:
                    attributes.setdefault(x, len(attributes) + 1)
    tables = ner_features.Tables(attributes)
    assert tables.has_names and not tables.has_v and not tables.has_clusters
    fast = ner_features.rows_of_sentences(sentences, tables)
    slow = np.hstack([np.array([[attributes.get(x, 0) if x else 0 for x in col]
                                for col in ner_features.columns(s, with_v=False)]) for s in sentences])
    assert fast.shape[0] == 23 and (fast == slow[:23]).all() and not slow[23:].any()


def test_fast_cluster_rows_match_cluster_feature_strings():
    """A model trained with the cluster templates is tagged with exactly those features,
    also across the sentence joins of ``rows_of_sentences`` and for unknown characters."""
    import numpy as np

    from newsnlp.extract import ner_features

    sentences = ["他住在李家庄村，局长刘强说", "ǂ王^丽$", "中华人民共和国"]
    attributes: dict[str, int] = {}
    for s in sentences[:2]:  # the third sentence's strings are partly unseen: row 0
        for col in ner_features.columns(s):
            for x in col:
                if x is not None and x[0] in ner_features.CLUSTER_TEMPLATES + "abc":
                    attributes.setdefault(x, len(attributes) + 1)
    tables = ner_features.Tables(attributes)
    assert tables.has_clusters and not tables.has_names
    fast = ner_features.rows_of_sentences(sentences, tables)
    slow = np.hstack([np.array([[attributes.get(x, 0) if x else 0 for x in col]
                                for col in ner_features.columns(s)]) for s in sentences])
    assert fast.shape == (15 + 11, slow.shape[1])
    cluster_slow = slow[[i for i, col in enumerate(ner_features.columns(sentences[0]))
                         if col[0] and col[0][0] in ner_features.CLUSTER_TEMPLATES]]
    assert (fast[15:] == cluster_slow).all() and fast[15:].any()
    # surnames share a coarse cluster, and differ from place suffixes
    clusters = ner_features.char_clusters()
    assert clusters["王"][0] == clusters["李"][0] != clusters["村"][0]


# --- People's Daily 1998 -> MSRA-style gold (ner_eval) -------------------------------
_PD1998_SNIPPET = (
    "19980121-01-001-001/m  [中共/j  中央/n  办公厅/n]nt  主任/n  曾/nr  庆红/nr  、/w  [中国/ns  政府/n]nt  "
    "代表/n  李/nr  鹏/nr  乔/nr  石/nr  和/c  桥本/nr  龙太郎/nr  出席/v  。/w  "
    "陈/nr  方/nr  安生/nr  在/p  [香港/ns  特别/a  行政区/n]ns  会见/v  中/j  美/j  记者/n  。/w\n"
    "\n"
    "19980122-04-002-003/m  十五大/j  以后/f  ，/w  人民日报/nz  和/c  新华社/nt  报道/v  [北京/ns  大学/n]nt  。/w\n"
)


def test_pd1998_paragraph_follows_msra_conventions():
    text, spans, ignored = ner_eval.pd1998_paragraph(_PD1998_SNIPPET.splitlines()[0])
    found = {(text[a:b], k) for a, b, k in spans}
    assert found == {
        ("中共中央办公厅", "ORG"), ("曾庆红", "PER"), ("中国", "LOC"), ("李鹏", "PER"), ("乔石", "PER"),
        ("桥本龙太郎", "PER"), ("陈方安生", "PER"), ("香港特别行政区", "LOC"), ("中", "LOC"), ("美", "LOC"),
    }
    assert ignored == []
    text, spans, ignored = ner_eval.pd1998_paragraph(_PD1998_SNIPPET.splitlines()[2])
    assert {text[a:b] for a, b in ignored} == {"十五大", "人民日报"}
    assert {(text[a:b], k) for a, b, k in spans} == {("新华社", "ORG"), ("北京大学", "ORG")}


def test_pd1998_examples_split_sentences_and_select_days(tmp_path):
    (tmp_path / "199801.txt").write_text(_PD1998_SNIPPET, encoding="utf-8")
    first = list(ner_eval.pd1998_examples(tmp_path, days={21}))
    assert [text for text, _, _ in first] == [
        "中共中央办公厅主任曾庆红、中国政府代表李鹏乔石和桥本龙太郎出席。", "陈方安生在香港特别行政区会见中美记者。"]
    text, gold, _ = first[1]
    assert (0, 4, "PER") in gold and text[5:12] == "香港特别行政区" and (5, 12, "LOC") in gold
    assert len(list(ner_eval.pd1998_examples(tmp_path / "199801.txt", days=ner_eval.parse_days("21-22")))) == 3


def test_ignored_regions_neither_reward_nor_punish():
    examples = [("人民日报记者李明", [(6, 8, "PER")], [(0, 4)])]
    scores = ner_eval.score_examples(examples, lambda text: {(0, 4, "ORG"), (6, 8, "PER")})
    assert scores["overall"]["predicted"] == 1 and scores["overall"]["f1"] == 1.0
    scores = ner_eval.score_examples(examples, lambda text: {(0, 2, "LOC")})
    assert scores["overall"]["predicted"] == 0 and scores["PER"]["recall"] == 0.0


def test_eval_ner_pd1998_command(tmp_path):
    (tmp_path / "199801.txt").write_text(_PD1998_SNIPPET, encoding="utf-8")
    args = ["eval", "ner", "--data", "pd1998", "--pd1998-dir", str(tmp_path), "--days", "21", "--json"]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    import json

    scores = json.loads(result.output)["newsnlp"]
    assert scores["PER"]["gold"] == 5 and scores["ORG"]["gold"] == 1
    assert scores["overall"]["f1"] > 0.5


@pytest.mark.parametrize("args", [["--days", "0-3"], ["--days", "x"], ["--days", "3", "--data", "some.txt"]])
def test_eval_ner_bad_days_is_a_one_line_error(tmp_path, args):
    (tmp_path / "199801.txt").write_text(_PD1998_SNIPPET, encoding="utf-8")
    if "--data" not in args:
        args = args + ["--data", "pd1998", "--pd1998-dir", str(tmp_path)]
    result = CliRunner().invoke(cli, ["eval", "ner", *args])
    assert result.exit_code == 1
    assert result.output.startswith("Error:")


def test_pd1998_real_file_conversion_counts(shared_data):
    """The converter on the real corpus: one day's gold is sizeable and sane."""
    examples = list(ner_eval.pd1998_examples(shared_data / "peoples_daily_1998_01", days={31}))
    kinds = Counter(k for _, gold, _ in examples for _, _, k in gold)
    assert len(examples) > 300 and min(kinds.values()) > 50
    assert all(text[a:b].strip() == text[a:b] and b > a for text, gold, _ in examples for a, b, _ in gold)


def test_ner_dev_prepare_keeps_the_development_slice_out_of_names_and_lexicon(tmp_path):
    """benchmarks/ner_dev.py: the dev slice is the tail of MSRA train, its names are not counted,
    and the held lexicon lists days 21-31 only."""
    import importlib.util
    import json
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "ner_dev", Path(__file__).resolve().parent.parent / "benchmarks" / "ner_dev.py")
    ner_dev = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ner_dev)
    shared = tmp_path / "data"
    (shared / "msra_ner").mkdir(parents=True)
    (shared / "peoples_daily_1998_01").mkdir()
    sentences = [("王小明说", "B-PER I-PER I-PER O")] * 2 + [("李大海来", "B-PER I-PER I-PER O")] * 2
    (shared / "msra_ner" / "msra_train_bio.txt").write_text("\n\n".join(
        "\n".join(f"{c}\t{t}" for c, t in zip(text, tags.split())) for text, tags in sentences) + "\n",
        encoding="utf-8")
    rows = [{"id": "19980105-01-001-001", "text": "张三在北京", "entities": [[0, 2, "PER", "张三"], [3, 5, "LOC", "北京"]]},
            {"id": "19980125-01-001-001", "text": "李四在上海", "entities": [[0, 2, "PER", "李四"], [3, 5, "LOC", "上海"]]}]
    (shared / "peoples_daily_1998_01" / "199801_entities.jsonl").write_text(
        "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows), encoding="utf-8")
    work = tmp_path / "work"
    work.mkdir()
    ner_dev.prepare(work, shared, dev_sentences=2)
    assert (work / "msra-dev.bio").read_text(encoding="utf-8").count("李") == 2
    names = [line.split("\t")[0] for line in (work / "train-names.txt").read_text(encoding="utf-8").splitlines()
             if not line.startswith("#")]
    assert names == ["王小明"]
    assert (work / "lexicon-days21-31.txt").read_text(encoding="utf-8").split() == ["上海", "LOC", "李四", "PER"]


@pytest.mark.parametrize("text, expected", [
    ("中日两国领导人会晤。", {"中": "中国", "日": "日本"}),
    ("京津冀协同发展取得新进展。", {"京": "北京", "津": "天津", "冀": "河北"}),
    ("港澳同胞出席了招待会。", {"港": "香港", "澳": "澳门"}),  # 澳 read as a region beside 港
])
def test_one_character_places_carry_the_full_name(text, expected):
    found = {e.text: e.refers_to for e in entities(text) if e.type == "place" and len(e.text) == 1}
    assert found == expected


def test_place_facet_holds_full_names_and_anaphora_their_referent():
    from newsnlp.extract import analyze
    from newsnlp.index.schema import article_document
    from newsnlp.model import Article, Block, Page

    text = "中日两国领导人会晤。近日，郑州市金水区召开会议，该区将新增学位3000个。"
    article = Article(id="a", headline=["会议"], body=[Block("p", text)], entities=analyze(text).entities)
    doc = article_document(Page(source="/x.txt", articles=[article]), article, 0, page_key="x")
    places = doc["_stored_places"]
    assert {"中国", "日本", "金水区"} <= set(places) and not {"中", "日", "该区"} & set(places)


def test_surname_the_model_split_off_joins_the_name():
    found = [e.text for e in entities("丁薛祥、杨洁篪、王毅等参加会见。") if e.type == "person"]
    assert "丁薛祥" in found and "薛祥" not in found


def test_name_opening_a_doctrine_is_no_person_mention():
    from newsnlp.extract.entities import person_names

    text = "他们坚持马克思主义，深入学习毛泽东思想。马克思说过这句话。"
    assert "马克思" in person_names(text) and "毛泽东" not in person_names(text)
    assert "毛泽东" in _by_type(text)["person"]  # the entity stays, as MSRA tags it


def test_credit_names_are_left_out_of_person_names():
    from newsnlp.extract.entities import credit_spans, person_names

    text = "本报北京3月1日电 （记者王小明、李华）市长张建国说，工作很顺利。\n图为现场。  新华社记者周立摄"
    spans = [text[a:b] for a, b in credit_spans(text)]
    assert spans == ["王小明、李华", "周立"]
    assert "张建国" in person_names(text) and not {"王小明", "李华", "周立"} & person_names(text)
    assert credit_spans("本报记者日前采访了张建国。") == []


def test_a_village_is_not_a_person():
    from newsnlp.extract.entities import person_names
    from newsnlp.model import Entity

    text = "记者来到戴村，村民张春华说。"
    found = [Entity("戴村", "person", 4, 6), Entity("张春华", "person", 9, 12)]  # a tagger's slip, and a name
    assert person_names(text, found) == {"张春华"}
