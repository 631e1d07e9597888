import random
import re

import pytest

from newsnlp.testing import (
    FFFD, generate_page, load_peoples_daily_articles, person_names, text_width, to_halfwidth,
)

ARTICLES = [
    {
        "headline": "港口新建两座泊位投入运营", "headline_words": ["港口", "新建", "两座", "泊位", "投入", "运营"],
        "kicker": "物流提速", "subtitle": None, "dateline": "本报讯", "byline_role": "记者",
        "reporters": ["周海宁"],
        "body": [
            {"kind": "p", "text": "今年3月2日，港口新建的两座集装箱泊位正式投入运营，年吞吐能力增加120万标箱，缓解了“压港”难题。"},
            {"kind": "subhead", "text": "科学调度保畅通"},
            {"kind": "p", "text": "港务集团先后召开调度会议9次、协调会31次，总投资8.5亿元，确保工程按期完工。"},
            {"kind": "p", "text": "通过“海运+铁路”联运模式，货物在港停留时间缩短两天，物流成本明显下降。"},
        ],
    },
    {
        "headline": "春季植树活动开始", "subtitle": "今年计划新增绿地460公顷",
        "dateline": "新华社杭州3月12日电", "byline_role": None, "reporters": ["沈秋云", "郑凯"],
        "body": [
            "记者从林业部门获悉，今年的春季义务植树活动已经开始，将持续到4月底。",
            "市民可以通过APP预约植树地点，也可以到各区绿化办报名参加。",
        ],
    },
    {
        "headline": "青少年篮球联赛闭幕", "dateline": None, "reporters": ["韩雪"], "byline_role": "本报记者",
        "body": [
            {"kind": "p", "text": "经过两周角逐，7月20日晚，第五届青少年篮球联赛在市体育馆闭幕，共有24支球队参赛。"},
            {"kind": "p", "text": "决赛中，两支球队比分交替领先，最后时刻的一记三分球赢得了观众的喝彩。"},
        ],
    },
    {
        "headline": "气温回升", "dateline": "本报北京1月19日讯", "reporters": [],
        "body": [{"kind": "p", "text": "据气象台预报，未来三天我国大部地区气温将缓慢回升，南方地区有小到中雨。"}],
    },
]
DECORATION = set("□（）记者本报通讯员道：—、文/图")


def squeeze(text):
    return "".join(ch for ch in text if not ch.isspace() and ch != FFFD)


def body_of(article):
    return "".join(b["text"] for b in article["body"])


def test_text_width_counts_ascii_as_half():
    assert text_width("ab中文") == 3.0
    assert text_width("100%") == 2.0


def test_same_seed_same_page_and_seeds_differ():
    first = generate_page(ARTICLES, rng=random.Random(7))
    assert first == generate_page(ARTICLES, rng=random.Random(7))
    assert first[0] != generate_page(ARTICLES, rng=random.Random(8))[0]


@pytest.mark.parametrize("seed", range(40))
def test_no_content_invented_or_lost(seed):
    raw, gold = generate_page(ARTICLES, rng=random.Random(seed), furniture=0.8)
    text = squeeze(raw)
    for article in gold["articles"]:
        for caption in article["captions"]:  # doubled characters of bold captions -> single
            text = text.replace("".join(ch * 2 for ch in caption), caption, 1)
    # every article's body is printed whole, in page order
    position = 0
    for article in gold["articles"]:
        found = text.find(body_of(article), position)
        assert found >= 0, body_of(article)
        position = found + len(body_of(article))
    # and nothing but gold pieces and byline decoration is printed
    rest = text
    pieces = [squeeze(line) for line in gold["furniture"]] + [gold["section"] or ""]
    for article in gold["articles"]:
        pieces += [body_of(article)] + article["headline"] + [article["kicker"] or "", article["subtitle"] or ""]
        pieces += [article["dateline"] or ""] + article["captions"] + article["reporters"]
    for piece in sorted(map(squeeze, pieces), key=len, reverse=True):
        if piece:
            assert piece in rest, piece
            rest = rest.replace(piece, "", 1)
    assert set(rest) <= DECORATION, rest


@pytest.mark.parametrize("seed", range(10))
def test_gold_follows_the_contract(seed):
    raw, gold = generate_page(ARTICLES, rng=random.Random(seed))
    assert set(gold) >= {"source", "section", "articles"}
    for article in gold["articles"]:
        assert article["headline"] and all(line.strip() for line in article["headline"])
        assert {b["kind"] for b in article["body"]} <= {"p", "subhead"}
        assert article["body"][0]["kind"] == "p"
        assert all(not re.search(r"\s", b["text"]) for b in article["body"])
        if article["reporters"]:
            assert all(name in article["byline"] for name in article["reporters"])
        else:
            assert article["byline"] is None


def test_column_width_stays_in_range():
    widths = []
    for seed in range(20):
        raw, gold = generate_page(ARTICLES, rng=random.Random(seed), column_width=(14, 14), furniture=0)
        bodies = [body_of(a) for a in gold["articles"]]
        for line in raw.splitlines():
            printed = squeeze(line)
            if len(printed) >= 4 and any(printed in body for body in bodies):
                widths.append(text_width(printed))
    assert max(widths) <= 14 + 2  # closing punctuation may hang past the edge
    full = sorted(widths)[len(widths) // 2]
    assert 12 <= full <= 14


def test_noise_off_prints_no_layout_spaces_or_mojibake():
    for seed in range(10):
        raw, _ = generate_page(ARTICLES, rng=random.Random(seed), noise=0, furniture=0)
        assert FFFD not in raw and "\u00a0" not in raw


def test_person_names_pairs_surnames_with_given_names():
    tokens = [("罗", "nr"), ("军", "nr"), ("陈", "nr"), ("志安", "nr"), ("、", "w"), ("欧阳", "nr"), ("明", "nr")]
    assert person_names(tokens) == ["罗军", "陈志安", "欧阳明"]


def test_halfwidth_digits_and_letters_only():
    assert to_halfwidth("１９９８年ＡＰＰ增长１２．５％，“好”") == "1998年APP增长12.5%，“好”"


CORPUS = """\
19980105-02-001-001/m  城区/n  新建/v  学校/n  投入/v  使用/v  （/w  附/v  图片/n  １/m  张/q  ）/w
19980105-02-001-002/m  本报/r  北京/ns  １月/t  ４日/t  讯/Ng  （/w  记者/n  王/nr  小明/nr  、/w  李/nr  华/nr  ）/w  今年/t  ９月/t  ，/w  城区/n  新建/v  的/u  三/m  所/q  学校/n  正式/ad  投入/v  使用/v  ，/w  新增/v  学位/n  ２４００/m  个/q  ，/w  缓解/v  了/u  入学/v  难/a  的/u  问题/n  。/w
19980105-02-001-003/m  该/r  局/n  先后/d  召开/v  专题/n  会议/n  ７/m  次/q  ，/w  总/b  投资/n  ６．４亿/m  元/q  ，/w  确保/v  项目/n  按期/d  完工/v  ，/w  带动/v  新建/v  学校/n  快速/d  提升/v  。/w

19980105-02-002-001/m  生态/n  治理/vn  见/v  成效/n  ——/w  访/v  林业/n  专家/n
19980105-02-002-002/m  本报/r  记者/n  赵/nr  强/nr
19980105-02-002-003/m  近年来/t  ，/w  山区/n  植树/v  造林/v  面积/n  逐年/d  增加/v  ，/w  水土/n  流失/v  得到/v  有效/a  控制/vn  ，/w  群众/n  收入/n  明显/a  提高/v  ，/w  生态/n  环境/n  持续/vd  改善/v  ，/w  各地/r  纷纷/d  前来/v  学习/v  考察/v  。/w
19980105-02-002-004/m  专家/n  认为/v  ，/w  治理/v  要/v  因地制宜/i  ，/w  坚持/v  长期/d  投入/v  ，/w  把/p  生态/n  效益/n  和/c  经济/n  效益/n  结合/v  起来/v  。/w  （/w  孙/nr  丽/nr  ）/w

19980105-02-003-001/m  名单/n
19980105-02-003-002/m  张三/nr  李四/nr  王五/nr
"""


def test_load_peoples_daily_format(tmp_path):
    path = tmp_path / "corpus.txt"
    path.write_text(CORPUS, encoding="utf-8")
    articles = load_peoples_daily_articles(path, min_chars=40)
    assert [a["id"] for a in articles] == ["19980105-02-001", "19980105-02-002"]
    first, second = articles
    assert first["headline"] == "城区新建学校投入使用" and first["date"] == "1998-01-05"
    assert first["dateline"] == "本报北京1月4日讯"
    assert first["reporters"] == ["王小明", "李华"]
    assert first["body"][0]["text"].startswith("今年9月，城区新建")
    assert "6.4亿元" in first["body"][1]["text"]
    assert second["headline"] == "生态治理见成效" and second["subtitle"] == "访林业专家"
    assert second["byline_role"] == "本报记者" and second["reporters"] == ["赵强"]
    assert second["body"][-1]["text"].endswith("结合起来。")  # trailing （孙丽） taken off


def test_real_corpus_articles_are_clean(shared_data):
    articles = load_peoples_daily_articles(shared_data / "peoples_daily_1998_01" / "199801.txt")
    assert len(articles) > 1500
    for article in articles:
        first = article["body"][0]["text"]
        assert not re.match(r"据?(本报|新华社)\S{0,12}[讯电]", first), first
        assert not re.search(r"[０-９Ａ-Ｚａ-ｚ\s]", body_of(article))


def test_articles_without_paragraphs_are_not_used():
    unusable = [{"headline": "只有小标题", "body": [{"kind": "subhead", "text": "小标题"}]}]
    with pytest.raises(ValueError):
        generate_page(unusable, rng=random.Random(1))
    raw, gold = generate_page(unusable + ARTICLES[:1], rng=random.Random(1), n_articles=2)
    assert len(gold["articles"]) == 1 and "只有小标题" not in raw


def test_gold_problems_names_what_a_page_does_not_print():
    from newsnlp.testing import gold_problems

    article = {"headline": ["标题一"], "kicker": None, "subtitle": None, "dateline": None, "byline": None,
               "reporters": [], "body": [{"kind": "p", "text": "第一段。"}, {"kind": "p", "text": "第二段。"}],
               "captions": [], "continuation": None}
    gold = {"source": "x", "section": None, "paper": None, "page": None, "publication_date": None,
            "furniture": [], "articles": [article, dict(article, headline=["标题二"])]}
    raw = "标题一\n第一段。\n第二段。\n标题二\n第一段。\n第 二段。\n"
    assert gold_problems(raw, gold) == []
    assert gold_problems(raw.replace("第二段。\n标题二", "标题二"), gold)  # a block lost
    assert gold_problems(raw, dict(gold, articles=[article]))  # one article is not a page
