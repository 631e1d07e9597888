"""Article splitting on small hand-written pages and on the real sample page."""
from newsnlp import parse_text
from newsnlp.split import parse_reporters

PAGE = """\
要闻

全市召开经济工作会议
部署明年重点任务

本报讯 （记者 张明 通讯员 李华） 12 月
20 日，全市经济工作会议召开，会议
总结今年工作，部署明年任务。
会议指出，要坚持稳中求进工作总基
调，推动经济高质量发展。

一个新的标题在这里

□记者 王小红

近日，某县开展了农村道路改造工程，
共计投入资金 3000 万元。
"""


def test_headlines_bylines_and_body():
    page = parse_text(PAGE, analyze=False)
    assert page.section == "要闻"
    first, second = page.articles
    assert first.headline == ["全市召开经济工作会议", "部署明年重点任务"]
    assert first.dateline == "本报讯"
    assert first.reporters == ["张明", "李华"]
    assert [b.text for b in first.body] == [
        "12月20日，全市经济工作会议召开，会议总结今年工作，部署明年任务。",
        "会议指出，要坚持稳中求进工作总基调，推动经济高质量发展。",
    ]
    assert second.headline == ["一个新的标题在这里"]
    assert second.reporters == ["王小红"]
    assert second.body[0].text.endswith("共计投入资金3000万元。")


def test_subhead_inside_article_and_trailing_byline_and_caption():
    text = """\
乡村振兴见实效

本报讯 近日，记者来到某村，看到村里
的道路已经全部硬化，村民们都说
好。

产业兴旺

该村发展特色种植，带动村民增收致
富。（记者 赵强）

图为村民在采摘。
"""
    page = parse_text(text, analyze=False)
    (article,) = page.articles
    assert [b.kind for b in article.body] == ["p", "subhead", "p"]
    assert article.body[1].text == "产业兴旺"
    assert article.body[2].text == "该村发展特色种植，带动村民增收致富。"
    assert article.reporters == ["赵强"]
    assert article.captions == ["图为村民在采摘。"]


def test_page_furniture_is_not_an_article_and_continuations_are_marked():
    text = """\
第3版
某某日报 2023年1月5日 星期四
本版编辑 王五 校对 赵六

（上接第一版）
加大投入力度，确保各项任务按期完成，
让群众得到实惠。

新年新气象

本报讯 （记者 孙七） 1月4日，某区举办迎新
活动，吸引群众参加。下转第2版
"""
    page = parse_text(text, analyze=False)
    assert page.page == "3"
    assert len(page.articles) == 2
    cont, second = page.articles
    assert cont.headline == [] and cont.continuation == "上接第一版"
    assert cont.body[0].text.startswith("加大投入力度")
    assert second.headline == ["新年新气象"] and second.continuation == "下转第2版"
    assert second.body[-1].text.endswith("吸引群众参加。")


def test_doubled_caption_attached_to_article():
    text = "运动会开幕\n\n本报讯 （记者 钱八） 昨日，运动会开幕，\n选手们精神饱满。\n\n开开幕幕现现场场\n"
    (article,) = parse_text(text, analyze=False).articles
    assert article.captions == ["开幕现场"]


def test_parse_reporters():
    assert parse_reporters("记者 张三 文/图") == ["张三"]
    assert parse_reporters("本报记者 张三 李四") == ["张三", "李四"]
    assert parse_reporters(None) == []


def test_article_ids_stable_for_same_content():
    a = parse_text(PAGE, analyze=False)
    b = parse_text(PAGE, analyze=False)
    assert [x.id for x in a.articles] == [x.id for x in b.articles]
    assert len({x.id for x in a.articles}) == len(a.articles)


def test_sample_page_against_gold(sample_page_path, seed_gold):
    from newsnlp.evaluate import score_page

    page = parse_text(sample_page_path.read_text(encoding="utf-8"), analyze=False)
    scores = score_page(page.to_dict(), seed_gold)
    assert scores["body_cer"] <= 0.003
    assert scores["boundary_f1"] >= 0.97
    assert scores["headline_f1"] == 1.0
    assert scores["reporter_f1"] == 1.0
    assert page.articles[-1].captions == seed_gold["articles"][-1]["captions"]


def test_headline_printed_right_under_previous_article_is_detached():
    text = """\
第一条新闻的标题

本报讯 今天上午，全市召开了一次重要的工
作会议，会议要求各部门认真落实任务。
美让面部表情
控制电脑
新华社伦敦1月22日电（记者 毛磊） 美国空军正
在研制一种新的计算机系统。
"""
    first, second = parse_text(text, analyze=False).articles
    assert first.body[-1].text.endswith("认真落实任务。")
    assert second.headline == ["美让面部表情", "控制电脑"]
    assert second.reporters == ["毛磊"]


def test_headline_with_phrase_gap_is_not_joined_to_the_paragraph_under_it():
    text = """\
社会


推广节水灌溉技术 助力农业增收致富

一部描写当年到内蒙古插队的知识青年在现
代都市生活中生存和情感寄托的影片日前由
北京电影学院青年电影制片厂摄制完成。
"""
    page = parse_text(text, analyze=False)
    assert page.section == "社会"
    (article,) = page.articles
    assert article.headline == ["推广节水灌溉技术 助力农业增收致富"]
    assert article.body[0].text.startswith("一部描写")


def test_editors_note_starts_a_paragraph():
    text = "愿人民论坛越办越好\n编者按：读者来信对我们十分关心，使我们十分感动。\n\n本报讯 正文从这里开始。\n"
    page = parse_text(text, analyze=False)
    assert page.articles[0].headline == ["愿人民论坛越办越好"]


def test_phone_line_of_an_article_is_kept_but_editor_line_dropped():
    text = "便民服务热线开通\n\n本报讯 市民如有问题可拨打热线咨询。\n咨询电话：0394-8888888。\n\n本版编辑 王五 校对 赵六\n"
    (article,) = parse_text(text, analyze=False).articles
    assert article.body[-1].text.endswith("咨询电话：0394-8888888。")
    assert all("编辑" not in b.text for b in article.body)


def test_correspondent_bylines_and_wrapped_trailing_byline():
    text = """\
第一篇的标题

本报讯 今天上午，全市召开会议，部署相关
工作。（董振
国）

西峡助学情
本报驻瑞典记者 章念生

元旦前夕，某县开展了捐资助学活动，共有
一百名学生受到资助。
"""
    first, second = parse_text(text, analyze=False).articles
    assert first.reporters == ["董振国"]
    assert second.headline == ["西峡助学情"]
    assert second.reporters == ["章念生"]
