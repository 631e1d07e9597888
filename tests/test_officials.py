"""Named people with posts: title before/after the name, org chains, lists, anaphora, reporters."""
from __future__ import annotations

import pytest

from newsnlp.extract.officials import officials


def _posts(text: str) -> set[tuple[str, str, str | None]]:
    return {(o.name, o.title, o.org) for o in officials(text)}


@pytest.mark.parametrize("text, expected", [
    ("会上，市住建局局长王建国作了讲话。", ("王建国", "局长", "市住建局")),
    ("县委书记陈志强、县长刘海波出席会议。", ("陈志强", "书记", "县委")),
    ("县委书记陈志强、县长刘海波出席会议。", ("刘海波", "县长", None)),
    ("开发区党工委副书记李红梅主持会议。", ("李红梅", "副书记", "开发区党工委")),
    ("中共中央总书记、国家主席江泽民发表新年讲话。", ("江泽民", "国家主席", None)),
    ("“我们将加快进度。”张国庆局长说。", ("张国庆", "局长", None)),
    ("市委书记王建国主持会议，市长李明作报告。", ("李明", "市长", None)),
    ("县教育局党组书记、局长赵文华介绍了情况。", ("赵文华", "局长", "县教育局")),
    ("文化路街道办事处副主任孟庆和说，活动持续一周。", ("孟庆和", "副主任", "文化路街道办事处")),
])
def test_post_patterns(text, expected):
    assert expected in _posts(text)


def test_list_under_one_title():
    text = "市领导王建华、李志强、赵明出席活动。"
    assert {(n, t) for n, t, _ in _posts(text)} == {("王建华", "市领导"), ("李志强", "市领导"), ("赵明", "市领导")}


@pytest.mark.parametrize("text", [
    "那时我已任团政治委员三年了，生活丰富多彩。",
    "委员长曾指出：“法律要得到实施。”",
])
def test_words_after_a_title_are_not_names(text):
    assert _posts(text) == set()


def test_list_whose_separators_were_lost():
    text = "县领导刘建军陈海涛周丽华出席。"
    assert {(n, t) for n, t, _ in _posts(text)} == {("刘建军", "县领导"), ("陈海涛", "县领导"), ("周丽华", "县领导")}


def test_anaphora_gives_the_organisation():
    text = "记者从市人力资源和社会保障局了解到，新政策下月实施。该局局长孙立新说，政策惠及全市职工。"
    assert ("孙立新", "局长", "市人力资源和社会保障局") in _posts(text)


def test_reporters_and_plain_names_are_not_officials():
    text = "本报记者 王小明 通讯员 刘芳 报道\n市民李大爷说，公园变美了。"
    assert _posts(text) == set()


def test_sentence_is_the_one_that_states_the_post():
    text = "会议开始。副市长张伟主持会议。"
    (o,) = officials(text)
    assert o.sentence == "副市长张伟主持会议。"


def test_seed_page_officials(seed_gold, seed_facts):
    found = set()
    for n, article in enumerate(seed_gold["articles"], 1):
        text = "\n".join(b["text"] for b in article["body"])
        found |= {(n, o.name, o.title) for o in officials(text)}
    gold = {(o["article"], o["name"], o["title"]) for o in seed_facts["officials"]}
    tp = len(found & gold)
    f1 = 2 * tp / (len(found) + len(gold))
    print(f"seed officials (name, title) F1 {f1:.3f} (found {len(found)}, gold {len(gold)})")
    assert f1 >= 0.9


def test_every_post_of_a_chain_is_reported():
    text = "省委常委、宣传部部长高明远，市委副书记、市长范志清出席会议。"
    posts = {(n, t) for n, t, _ in _posts(text)}
    assert {("高明远", "常委"), ("高明远", "部长"), ("范志清", "副书记"), ("范志清", "市长")} <= posts


def test_chain_joined_by_jian():
    text = "国务委员兼外交部部长黄立新会见了来宾。"
    assert {("黄立新", "国务委员"), ("黄立新", "部长")} <= {(n, t) for n, t, _ in _posts(text)}


def test_chief_editor_is_a_post_not_a_byline():
    text = "日报社副总编辑柯文涛在致辞中指出，融合发展是必答题。"
    assert ("柯文涛", "副总编辑") in {(n, t) for n, t, _ in _posts(text)}


def test_post_in_quotes_before_the_name():
    text = "“第一书记”李海全和村两委大胆提出设想。"
    assert ("李海全", "第一书记") in {(n, t) for n, t, _ in _posts(text)}


# ---------------------------------------------------------------- organisations the tagger cut or fused
@pytest.mark.parametrize("text, expected", [
    # a title sharing the organisation's last character: 某某部 + 部长 printed 某某部长
    ("国务委员兼水利部长韩东明出席会议。", ("韩东明", "部长", "水利部")),
    ("国务委员兼水利部长韩东明出席会议。", ("韩东明", "国务委员", None)),
])
def test_title_sharing_the_organisations_last_character(text, expected):
    assert expected in _posts(text)


def test_org_extended_back_over_he_and_zhu_and_a_unit():
    from newsnlp.extract.officials import _extend_org_back, _org_before
    from newsnlp.model import Entity

    text = "，国家城乡和边疆委员会主任韩东明"
    org = Entity("边疆委员会", "org", text.find("边疆"), text.find("主任"))
    assert _org_before(text, org.end, {org.end: org}) == "国家城乡和边疆委员会"
    text = "甲国驻乙地大使韩东明"
    a, b = Entity("甲国", "place", 0, 2), Entity("乙地", "place", 3, 5)
    assert _extend_org_back(text, 3, "乙地", {2: a, 5: b}) == "甲国驻乙地"
    text = "水务部河道司巡视员韩东明"
    dept = Entity("水务部", "org", 0, 3)
    assert _org_before(text, text.find("巡视员"), {3: dept}) == "水务部河道司"


def test_assistant_titles_are_posts():
    assert ("韩东明", "部长助理", "水利部") in _posts("水利部部长助理韩东明出席。")
