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
    assert [a.headline for a in page.articles] == [a["headline"] for a in seed_gold["articles"]]
    assert [a.subtitle for a in page.articles] == [a.get("subtitle") for a in seed_gold["articles"]]


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


def _paragraphs(article):
    return [b.text for b in article.body if b.kind == "p"]


def test_narrow_article_after_wide_one_keeps_its_full_lines_together():
    # the second article is set in a narrower column: its lines are full in their own column
    text = """\
水库建设进展顺利

本报讯 今年以来，某县加快推进水库建设，目前主
体工程已经完成八成以上，预计年底前可以全面完
工并投入使用，将惠及下游数万亩农田的灌溉用水
和沿岸村庄的饮水安全，当地群众对此十分期待，
纷纷表示要积极支持和配合工程建设各项工作。

山区小学通网络
□记者 周六

某县山区的十二所小
学日前全部接通了宽
带网络，孩子们第一
次在课堂上看到了外
面的世界和广阔天地。
"""
    first, second = parse_text(text, analyze=False).articles
    assert second.headline == ["山区小学通网络"]
    assert _paragraphs(second) == ["某县山区的十二所小学日前全部接通了宽带网络，孩子们第一次在课堂上看到了外面的世界和广阔天地。"]


def test_heading_set_right_above_text_starts_an_article_but_spaced_one_is_a_subhead():
    text = """\
全市部署全年工作

本报讯 （记者 张三） 某市今天召开大会，部署全年工作。

会议强调，要抓好各项任务落实。

狠抓落实

会议还要求，各部门要加强协作。

乡村道路修到家门口
某县今年投入资金一千万元，修建乡村道路五十公里。
"""
    first, second = parse_text(text, analyze=False).articles
    assert [b.kind for b in first.body] == ["p", "p", "subhead", "p"]
    assert first.body[2].text == "狠抓落实"
    assert second.headline == ["乡村道路修到家门口"]
    assert _paragraphs(second) == ["某县今年投入资金一千万元，修建乡村道路五十公里。"]


def test_short_headline_with_dashed_subtitle_is_not_a_kicker():
    text = """\
迎春茶话会举行

本报讯 茶话会今天举行，大家欢聚一堂。（记者 张三）

人民不会忘记

——记一位乡村教师

本报讯 他在山村小学教书三十年，培养了一代又一代学生。
"""
    article = parse_text(text, analyze=False).articles[-1]
    assert article.headline == ["人民不会忘记"]
    assert article.kicker is None
    assert article.subtitle == "记一位乡村教师"


def test_headline_right_under_a_trailing_byline_is_detached():
    text = """\
会议部署今年工作

本报讯 会议今天召开，与会人员围绕今年
的重点工作进行了讨论。（记者 张三）
新的标题在这里
本报讯 某县今天举行了植树活动，干部群
众一起参加。
"""
    first, second = parse_text(text, analyze=False).articles
    assert first.reporters == ["张三"]
    assert _paragraphs(first)[-1].endswith("进行了讨论。")
    assert second.headline == ["新的标题在这里"]


def test_short_unfinished_line_above_an_indented_paragraph_is_a_heading():
    # on a page that indents its paragraphs, a line after a blank line usually goes on
    # from the previous column, but not a short unfinished one right above an indent
    text = """\
　　第一段的文字内容在这里写得比较
长一些。
　　第二段的文字内容在这里也写得
比较长，一直写到这里。
　　第三段的文字内容也在这里写得
比较长，一直写到这里为止。
　　第四段的文字内容在这里写得比
较长，结束在满行末尾上的句号。

警惕，又到送礼时
　　春节将至，公款送礼又开始忙活
起来，各种礼品琳琅满目。
"""
    articles = parse_text(text, analyze=False).articles
    assert articles[0].body[-1].text.endswith("结束在满行末尾上的句号。")
    assert articles[-1].headline == ["警惕，又到送礼时"]
    assert _paragraphs(articles[-1]) == ["春节将至，公款送礼又开始忙活起来，各种礼品琳琅满目。"]


def test_byline_bracket_wrapped_over_a_column_break():
    text = """\
学术报告会在京举行

本报北京1月16日讯 （记者

王五、赵六） 由某大学举办的学术报告会今天在
北京举行，与会专家围绕世界经济形势进行了交
流和讨论。
"""
    (article,) = parse_text(text, analyze=False).articles
    assert article.reporters == ["王五", "赵六"]
    assert _paragraphs(article) == ["由某大学举办的学术报告会今天在北京举行，与会专家围绕世界经济形势进行了交流和讨论。"]


def test_first_line_filling_its_column_means_a_short_line_is_a_heading():
    # paragraphs here start with a full first line, so a line two characters short
    # with no punctuation is a headline, not the first line of a paragraph
    text = """\
体育产业发展座谈会召开

本报讯 第一段的文字内容写得很长很长，
终于结束了。
第二段的文字内容在这里写得很长很长，
一直写到这里结束了。
第三段的文字内容也在这里写得很长长，
到此结束。
第四段的文字内容也在这里写得很长长，
就此结束。

充分发挥体育中介公司作用
王某（某体育公司总监）：体育管理部门
要把体育项目推向市场，获取企业投资。
"""
    articles = parse_text(text, analyze=False).articles
    assert articles[-1].headline == ["充分发挥体育中介公司作用"]
    assert _paragraphs(articles[-1])[0].startswith("王某")


def test_heading_after_a_caption_starts_an_article():
    text = """\
农民运动会开幕

本报讯 某县农民运动会今天开幕，群众踊跃参加。

开开幕幕现现场场

新建学校三所

某县今年新建学校三所，学生入学更方便了。
"""
    first, second = parse_text(text, analyze=False).articles
    assert first.captions == ["开幕现场"]
    assert second.headline == ["新建学校三所"]


def test_indented_first_line_on_an_unindented_page_starts_an_article():
    # only the first paragraph of an article is indented (a drop capital lost in extraction)
    text = """\
农民运动会开幕

����本报讯 某县农民运动会今天开幕，群众踊跃参加。
比赛设置了拔河、跳绳等多个项目。
活动持续三天。

新建学校三所

����某县今年新建学校三所，学生入学更方便了。
"""
    first, second = parse_text(text, analyze=False).articles
    assert second.headline == ["新建学校三所"]
    assert _paragraphs(second) == ["某县今年新建学校三所，学生入学更方便了。"]


def test_two_line_heading_or_dashed_subtitle_after_text_is_a_headline():
    text = """\
农民运动会开幕

本报讯 某县农民运动会今天开幕，群众踊跃参加。

某县农民
喜获丰收

今年某县粮食总产量再创新高。

燃起希望

——记一位扶贫干部

他在村里一干就是五年。
"""
    articles = parse_text(text, analyze=False).articles
    assert [a.headline for a in articles] == [["农民运动会开幕"], ["某县农民", "喜获丰收"], ["燃起希望"]]
    assert articles[2].subtitle == "记一位扶贫干部"


def test_subheads_stay_subheads_on_a_page_that_indents_paragraphs():
    text = """\
乡村振兴见实效

　　本报讯 近日，记者来到某村。
　　村里的道路已经全部硬化。

产业兴旺

　　该村发展特色种植，村民增收。
　　合作社带动了一百多户。

生态宜居

　　村里建起了污水处理站。

乡风文明

　　村民们自发成立了文艺队。
　　每到傍晚，广场上歌声不断。
"""
    (article,) = parse_text(text, analyze=False).articles
    assert [b.text for b in article.body if b.kind == "subhead"] == ["产业兴旺", "生态宜居", "乡风文明"]


def test_heading_printed_under_a_sentence_end_is_not_part_of_the_paragraph():
    text = """\
供热工作获好评

本报讯 以前一到供热时上访的市民不断，
今年一个也没有，说到了市民的心坎上。
大雾的危害

����从去年12月开始，我国华北平原相继出
现数天大范围的雾天。
"""
    articles = parse_text(text, analyze=False).articles
    assert articles[0].body[0].text.endswith("心坎上。")
    assert articles[-1].headline == ["大雾的危害"]


def test_sentence_end_with_a_spaced_or_wrapped_closing_quote_ends_the_paragraph():
    text = """\
港口工人干劲足

本报讯 他说：“我一天工作十六七个小时还觉得
不够。 ”
他不许职工叫他“老板”，大家都叫他老包，他也
乐意。
他说：“今年的任务是扩大货源、开拓新的市场……
”
这些话让大家很受鼓舞。
"""
    (article,) = parse_text(text, analyze=False).articles
    assert [p[:3] for p in _paragraphs(article)] == ["他说：", "他不许", "他说：", "这些话"]


def test_headlines_ending_in_a_question_in_quotes_or_an_ellipsis():
    text = """\
『哪种米好吃？』
□记者 稳波

如今，主妇进米市，劈头一句就是：“哪种米好吃？”

温暖送出之后……

本报记者 郑宏范

每逢元旦、春节，报纸、广播都会报道送温暖的消息。
"""
    articles = parse_text(text, analyze=False).articles
    assert [a.headline for a in articles] == [["『哪种米好吃？』"], ["温暖送出之后……"]]


def test_section_name_above_furniture_is_not_part_of_the_headline():
    text = """\
要闻

2023.01.26 星期四 某某时报
县委书记和他的“孙女”
本报记者 王鸿

某村一户普通农家的土炕上，县委书记正和老人拉家常。
"""
    page = parse_text(text, analyze=False)
    assert page.section == "要闻"
    assert page.articles[0].headline == ["县委书记和他的“孙女”"]


def test_text_under_a_dateline_line_is_body_even_when_short_and_unpunctuated():
    text = """\
世界卫生事业面临挑战
新华社日内瓦1月20日电
世界卫生组织总干事某某某先生 19 日上午
在这里举行的执委会会议上呼吁各国
动员必要的人力和资金。
他说，世界卫生组织成立五十年来，
世界各国在预防传染病、解决营养不
良等方面取得了巨大的成就。
"""
    (article,) = parse_text(text, analyze=False).articles
    assert article.headline == ["世界卫生事业面临挑战"]
    assert _paragraphs(article)[0] == "世界卫生组织总干事某某某先生19日上午在这里举行的执委会会议上呼吁各国动员必要的人力和资金。"


def test_line_left_short_by_an_unbroken_number_goes_on():
    text = """\
家庭藏书呈异彩

本报讯 某市青年干部李某和妻子潜心
收藏各类图书报刊杂志累计已达
1830 个版本 3200 多册，近日入选全
市首届“十佳文化特色家庭”。
"""
    (article,) = parse_text(text, analyze=False).articles
    assert _paragraphs(article) == ["某市青年干部李某和妻子潜心收藏各类图书报刊杂志累计已达1830个版本3200多册，"
                                    "近日入选全市首届“十佳文化特色家庭”。"]


def test_column_breaks_recur_with_the_column_height():
    # columns of four lines: a blank line after a full line ending a sentence is a
    # column break when it falls on the period, a paragraph break when it does not
    column = [
        "某市今年启动老旧小区改造工程，",
        "计划用三年时间完成全市两百多",
        "个小区的改造任务，涉及居民近",
        "十万户。改造内容包括屋面防水",
        "", "管网更新和外墙保温等多个方面，",
        "同时增设电梯和停车位等设施，",
        "力争让居民住得更加舒心安心，",
        "生活更加方便，环境更加宜居。",
        "", "市住建部门有关负责人介绍，改",
        "造将坚持居民自愿的原则，先征",
        "求意见再定方案，做到一区一策，",
        "并在施工期间安排专人负责协调",
        "", "尽量减少对居民生活的影响，让",
        "群众真正满意，真正得到实惠。",
        "", "截至目前，首批三十个小区已经",
        "开工建设，预计年底前全部完成",
        "", "改造，届时将有一万户受益。",
    ]
    text = "旧改惠民生\n\n" + "\n".join(column) + "\n"
    (article,) = parse_text(text, analyze=False).articles
    assert [p[:4] for p in _paragraphs(article)] == ["某市今年", "截至目前"]


def test_clearly_short_line_before_a_blank_ends_its_block_without_punctuation():
    text = """\
国企改革见成效

本报讯 某矿务局坚持走内涵发展的路子，企业
效益连年提高，职工收入稳步增长。

坚持发展生产力不动摇， 确保国有资
产不断增值

发展生产力是企业的根本任务。该矿坚持发展
生产，去年产量创历史新高。
"""
    articles = parse_text(text, analyze=False).articles
    texts = [b.text for a in articles for b in a.body]
    assert texts[-1].startswith("发展生产力是企业的根本任务。")
    assert not any("增值发展" in t for t in texts)


def test_dateline_with_a_bracketed_region():
    text = "会谈取得进展\n\n新华社杰里科（约旦河西岸）1月25日电 双方今天举行会谈，取得了一定进展。\n"
    (article,) = parse_text(text, analyze=False).articles
    assert article.dateline == "新华社杰里科（约旦河西岸）1月25日电"
    assert article.body[0].text == "双方今天举行会谈，取得了一定进展。"


def test_marked_byline_of_a_place_and_a_name_without_a_space():
    text = "优先百姓好！\n□湖南某市刘洪杰\n\n一日，我到某部门办点事，刚一坐下，就进来一位老人。\n"
    (article,) = parse_text(text, analyze=False).articles
    assert article.headline == ["优先百姓好！"]
    assert article.reporters == ["刘洪杰"]
    assert parse_reporters("湖南某市刘洪杰") == ["刘洪杰"]


def test_two_line_headline_with_a_colon_in_each_line():
    text = """\
回眸去年：增长质量改善
展望今年：继续保持增势
本报记者 李琨

去年一年，随着结构调整步伐的加快，经济增长的质量明显改善。
"""
    (article,) = parse_text(text, analyze=False).articles
    assert article.headline == ["回眸去年：增长质量改善", "展望今年：继续保持增势"]
    assert article.reporters == ["李琨"]


def test_dashed_subtitle_after_a_blank_is_not_joined_to_the_headline():
    text = """\
学术自审与地缘文化

——读《当代学术：某地学者文丛》

学者思想与其民族文化乃至地域文化的关系是
一个新颖而有趣的问题，近年来引起了学界的
重视。
"""
    (article,) = parse_text(text, analyze=False).articles
    assert article.headline == ["学术自审与地缘文化"]
    assert article.subtitle == "读《当代学术：某地学者文丛》"


def test_trailing_byline_bracket_wrapped_over_a_column_break():
    text = """\
社区医疗网络建成

本报讯 某市社区卫生服务网络日前建成，覆盖
市区人口的三成。“我们还要把这件造福群众
的事情做得更好。” （记

者 贾建舟 刘磊）

新的标题

□记者 韩奇

某集团去年市场占有率继续扩大。
"""
    first, second = parse_text(text, analyze=False).articles
    assert first.reporters == ["贾建舟", "刘磊"]
    assert _paragraphs(first)[-1].endswith("做得更好。”")
    assert second.headline == ["新的标题"]


def test_parsing_is_linear_on_many_short_lines_without_blanks():
    """40,000 short lines (one huge block) parse in seconds; quadratic parsing took minutes.
    Timings per size: benchmarks/bench_split_scaling.py."""
    import time

    from newsnlp import split as split_module
    from newsnlp import tidy as tidy_module

    started = time.perf_counter()
    page = split_module.split_page(tidy_module.tidy_lines("\n".join(["短行"] * 40_000) + "\n"))
    assert time.perf_counter() - started < 30  # linear: ~1 s here; quadratic: ~50 s
    assert sum(len(b.text) for a in page.articles for b in a.body) == 80_000


# --- layouts the parser was not tuned on: one short made-up page per pattern -------------

def _one(raw: str):
    return parse_text(raw, analyze=False).articles


def test_character_spaced_bylines_and_numbers_are_read():
    arts = _one("雪后道路抓紧清扫\n（ 记 者 王 小 明 ）\n  1 5 日凌晨，环卫工人连夜上路\n清扫积雪，保障早高峰通行。\n")
    assert len(arts) == 1 and arts[0].reporters == ["王小明"]
    assert arts[0].body[0].text.startswith("15日凌晨")


def test_byline_line_with_spaced_names_is_a_byline_not_a_headline_line():
    arts = _one("秋粮收购有序推进\n——访市粮食局负责人\n  本报记者  周  岚\n"
                "  眼下正值秋粮收购旺季，记者走\n进多个收购点，收购工作井然有序。\n")
    assert arts[0].headline == ["秋粮收购有序推进"] and arts[0].reporters == ["周岚"]
    assert arts[0].subtitle and "粮食局" in arts[0].subtitle


def test_subheads_on_a_page_without_blank_lines_between_paragraphs():
    arts = _one("老街焕新颜\n  本报讯（记者 许文）走进城东老\n街，青石板路干净整洁，两旁商铺\n生意红火。\n"
                "  改造工程去年启动，历时十个月\n完工。\n让文化留下来\n  改造中，设计团队保留了老街原\n"
                "有的门楼和石桥。\n  “老房子是有记忆的。”一位居民\n说。\n把人气聚起来\n"
                "  老街开街后，每天客流量超过五\n千人次。\n")
    assert len(arts) == 1
    assert [b.kind for b in arts[0].body] == ["p", "p", "subhead", "p", "p", "subhead", "p"]
    assert arts[0].body[2].text == "让文化留下来"


def test_trailing_dateline_closes_its_article():
    arts = _one("城郊公交新开两条线\n  为方便群众出行，市公交公司今起\n新开通两条城郊线路。\n"
                "  新线路途经十个村镇，沿线群众\n出行更加便利。\n  （本报北京12月1日电）\n"
                "图书馆延长开放时间\n  本报讯（记者 于洋）市图书馆\n自下周起延长开放时间。\n")
    assert [a.headline for a in arts] == [["城郊公交新开两条线"], ["图书馆延长开放时间"]]
    assert arts[0].dateline == "本报北京12月1日电"
    assert arts[0].body[-1].text == "新线路途经十个村镇，沿线群众出行更加便利。"
    inline = _one("会展经济升温\n  本报讯 今年以来，会展活动明显\n增多，带动相关消费。（新华社上海3月2日电）\n")
    assert inline[0].body[-1].text.endswith("带动相关消费。")
    assert inline[0].dateline == "本报讯"  # the first dateline stays


def test_a_column_credit_without_a_date_is_not_a_dateline():
    arts = _one("要闻简报\n  本报讯 某国今天举行大选，投票\n率较高。（本栏均据新华社电）\n")
    assert arts[0].dateline == "本报讯"


def test_teaser_label_under_the_headline_is_a_subhead_of_the_article():
    arts = _one("乡村公路通到家门口\n  本报讯（记者 孟凡）沿着新修的\n水泥路，记者来到山区的几个村子。\n"
                "核心阅读\n  今年我市新建改建农村公路三百公\n里，群众出行更方便。\n"
                "  村民说，路通了，日子也好过了，\n农产品也能卖出好价钱。\n")
    assert len(arts) == 1
    assert [b.kind for b in arts[0].body] == ["p", "subhead", "p", "p"]


def test_photo_captions_with_credits_are_captions_not_body_or_byline():
    arts = _one("晚报2023年5月6日\n菊花展开幕\n  本报讯（记者 孔亮）第十届菊花展\n昨日在人民公园开幕，展期一个月。\n"
                "  本届菊花展共展出菊花三万余盆。\n  5月5日，市民在人民公园赏菊。\n  本报记者 孔亮摄\n"
                "  据介绍，展会期间还将举办摄影比\n赛等活动。\n夜市经济升温\n  本报讯（记者 马静）入夏以来，城\n"
                "区夜市人气渐旺。\n  游客在夜市品尝小吃。新华社记者 黎明摄\n  夜市还设置了文创摊位。\n")
    first, second = arts
    assert first.headline == ["菊花展开幕"] and first.reporters == ["孔亮"]  # the running foot is furniture
    assert first.captions == ["5月5日，市民在人民公园赏菊。"]
    assert len(first.body) == 3 and not any("摄" in b.text for b in first.body if "摄影" not in b.text)
    assert second.captions == ["游客在夜市品尝小吃。"] and len(second.body) == 2


def test_a_credit_under_a_picture_caption_does_not_take_the_paragraph_above():
    arts = _one("志愿服务暖人心\n  本报讯（记者 钱程）连日来，社\n区志愿者走访独居老人，送去米面\n和棉衣。\n"
                "  图为志愿者为老人测量血压。\n  本报记者 钱程摄\n  志愿者还帮老人打扫卫生。\n")
    assert arts[0].captions == ["图为志愿者为老人测量血压。"]
    assert len(arts[0].body) == 2 and arts[0].reporters == ["钱程"]


def test_box_label_under_a_headline_opens_the_body_not_the_subtitle():
    arts = _one("文艺工作座谈\n体现时代精神\n\n核 心 阅 读\n本市文艺工作者近日座谈，围绕\n创作导向展开交流。\n\n"
                "会议由市文联主持，十余位作家\n发言。\n")
    assert arts[0].headline == ["文艺工作座谈", "体现时代精神"] and arts[0].subtitle is None
    assert arts[0].body[0].kind == "subhead" and arts[0].body[0].text == "核心阅读"


def test_kicker_ending_in_a_dash_is_part_of_the_heading():
    arts = _one("防汛抗旱会议召开\n\n本报讯 会议今天召开，部署各项工作。（记者 张三）\n\n"
                "工人、店员、司机，一群爱读书的人——\n我们在书里找到光\n\n本报讯 城东书屋每晚亮着灯。\n")
    assert len(arts) == 2
    heading = "".join(filter(None, [arts[1].kicker, *arts[1].headline]))
    assert heading.startswith("工人、店员、司机") and heading.endswith("我们在书里找到光")
    assert arts[1].body[0].text == "城东书屋每晚亮着灯。"


def test_spaced_digits_of_justified_lines_are_one_number():
    arts = _one("老年服务中心\n\n本报讯 中心成立于\n2 0 0 7年，现有义工 1 2 0 名。\n")
    assert arts[0].body[0].text == "中心成立于2007年，现有义工120名。"


def test_headline_with_a_column_label_is_not_a_subhead():
    body = "  双方还就经贸、人文等领域合\n作深入交换意见，一致同意加强\n沟通协调，推动务实合作不断取\n得新成果。\n"
    arts = _one("会谈取得成果\n  本报讯（记者 高远）双方今天举行\n会谈，达成多项共识，签署了多项\n合作文件。\n" + body
                + "让书香飘满社区（身边的故事）\n  社区书屋开张那天，来了许多孩\n子，大家围坐在一起读书讲故事，\n一直读到傍晚。\n")
    assert [a.headline for a in arts] == [["会谈取得成果"], ["让书香飘满社区（身边的故事）"]]


def test_two_short_heading_lines_with_a_comma_are_kicker_and_headline():
    para = ("　　开春以来，城南工业园区的车间里机器轰鸣，工人们\n忙着赶制订单，一派繁忙景象，园区里的货车来来往往，\n"
            "装满了发往各地的产品，企业负责人说今年的订单比去\n年多了三成。\n")
    arts = _one("要闻 2023年3月1日 星期三\n\n减税降费落地快，企业轻装上阵\n“今年我们敢放手干了”\n\n" + para * 3)
    assert len(arts) == 1
    heading = "".join(filter(None, [arts[0].kicker, *arts[0].headline]))
    assert heading == "减税降费落地快，企业轻装上阵“今年我们敢放手干了”"
    assert arts[0].body[0].text.startswith("开春以来")


def test_spaced_bracket_byline_wrapped_after_a_dateline():
    arts = _one("太浦河三地联合治水\n\n　　本报南京10月30日电　（ 记 者\n王 伟 健 ）一条长长的河，西接\n太湖，东注大江，把三地串联在一起。\n")
    assert arts[0].dateline == "本报南京10月30日电" and arts[0].reporters == ["王伟健"]
    assert arts[0].body[0].text.startswith("一条长长的河")


def test_dateline_with_spaced_digits_wrapped_over_two_lines():
    arts = _one("两国副总理会见\n\n  新华社北京 1 0 月 1\n4 日电  （记者朱超）国务院副总\n理今天会见了来访客人。\n")
    assert arts[0].dateline == "新华社北京10月14日电" and arts[0].reporters == ["朱超"]


def test_long_character_spaced_trailing_reporter_list():
    arts = _one("各地喜迎佳节\n\n  节日期间，各地举办丰富多彩的庆祝活动，群众欢聚一堂。\n"
                "  （本 报 记 者 王 昊 男 、 贺 林 平 、 朱 磊 、 何 勇 、 姜 峰 、 阿 尔 达 克）\n")
    assert arts[0].reporters == ["王昊男", "贺林平", "朱磊", "何勇", "姜峰", "阿尔达克"]
    assert arts[0].body[-1].text.endswith("群众欢聚一堂。")


def test_headline_with_column_label_directly_above_text_and_wrapped_after_a_comma():
    body = ("欢乐吉祥，喜气洋洋。走过三十多\n年的晚会，已经成为我们辞旧迎新\n亲切而又充满期待的陪伴。\n")
    arts = _one("会议今天召开\n\n本报讯 会议今天召开，部署了全年\n的各项工作任务。（记者 张三）\n\n\n"
                "今年晚会不一般（今日谈）\n" + body + "\n\n乡村振兴，\n用好脱贫经验（一线视角）\n\n" + body)
    assert [a.headline for a in arts] == [["会议今天召开"], ["今年晚会不一般（今日谈）"],
                                          ["乡村振兴，", "用好脱贫经验（一线视角）"]]
    assert arts[1].body[0].text.startswith("欢乐吉祥") and arts[2].body[0].text.startswith("欢乐吉祥")


def test_a_body_line_ending_in_a_bracket_is_not_a_headline():
    arts = _one("立法会举行会议\n\n据新华社香港1月14日电 立法会今天举行全体会议，\n首读、二读了《1998年房屋（修订）\n"
                "条例草案》和《1998年入境（修订）\n\n条例草案》，审议通过了《1997年地下铁路公司（修订）\n条例》。\n")
    assert len(arts) == 1 and arts[0].headline == ["立法会举行会议"]
    assert arts[0].body[-1].text.endswith("条例》。")


def test_on_a_page_of_mixed_indents_a_subhead_stays_in_its_article():
    para_in = "　　作别小河、翻越大山，六个村自愿搬迁的首批牧\n民，组成了市里第一个新村，开始了新的生活。\n"
    para_out = "说起过去的日子，老人们都记得那些风雪交加的冬\n天，牛羊冻死的情景至今难忘，大家心有余悸。\n"
    arts = _one("新村里的新生活\n\n" + para_in + para_out + para_in + para_out
                + "告别故土的抉择\n" + para_in + para_out + "——村里的老支书\n" + para_in)
    assert len(arts) == 1
    kinds = [b.kind for b in arts[0].body]
    assert kinds.count("subhead") == 1 and arts[0].body[kinds.index("subhead")].text == "告别故土的抉择"
    assert any(b.text == "——村里的老支书" for b in arts[0].body)  # an attribution, not a headline


def test_lines_of_dialogue_are_paragraphs_not_headings():
    para = "　　记者走进村里，见到了正在院里忙活的老汉，他一边\n招呼我们坐下，一边讲起这几年的变化，笑个不停。\n"
    arts = _one("山村新变化\n\n" + para * 3 + "　　“花了多少钱？”\n　　“第一年多点，后来每年三千五百元。”\n"
                "　　“那么多钱，能负担吗？”\n" + para)
    assert len(arts) == 1 and all(b.kind == "p" for b in arts[0].body)
    assert "“那么多钱，能负担吗？”" in [b.text for b in arts[0].body]


def test_four_line_heading_groups_with_a_label_or_a_dashed_subtitle():
    para = "　　近日，国务院常务会议决定，支持商业银行多渠道补充\n资本金，疏通货币政策传导机制，增强服务实体经济能力。\n"
    arts = _one("会议今天召开\n\n本报讯 会议今天召开，部署了全年的工作。（记者 张三）\n\n\n"
                "去年末，全国银行业整体资\n本充足率保持在较高水平\n支持银行通过新型债券\n补充资本金（权威发布）\n" + para * 2
                + "\n\n高举团结旗帜，从\n胜利走向新的胜利\n——重要讲话在各界引发热烈反响\n" + para * 2)
    assert len(arts) == 3
    assert "".join(filter(None, [arts[1].kicker, *arts[1].headline])).endswith("补充资本金（权威发布）")
    assert arts[2].headline == ["高举团结旗帜，从", "胜利走向新的胜利"] and arts[2].subtitle.startswith("重要讲话")
    assert arts[1].body[0].text.startswith("近日") and arts[2].body[0].text.startswith("近日")


def test_unpunctuated_four_line_heading_above_a_dateline():
    arts = _one("会议今天召开\n\n本报讯 会议今天召开，部署了全年的工作。（记者 张三）\n\n"
                "市领导考察城市数字\n治理平台时强调\n以技术创新提升治理水平\n为群众办好更多实事\n"
                "本报讯 日前，市领导来到城市数字治理平台考察。\n")
    assert len(arts) == 2 and len(arts[1].body) == 1
    assert "".join(filter(None, [arts[1].kicker, *arts[1].headline])).endswith("为群众办好更多实事")


def test_trailing_dateline_without_a_date_and_a_continuation_note_end_the_text():
    arts = _one("论坛在希腊开幕\n\n  本报讯 论坛今天开幕，来自多国的代表出席。（本报希腊萨洛尼卡电）\n\n"
                "城市更新提速\n  本报讯 今年全市改造老旧小区一百个，惠及居民\n两万户。（下转第12版）\n"
                "持续释放创新能量（现场评论）\n  创新是发展的第一动力，要让各类创新主体竞相\n迸发活力。\n")
    assert arts[0].dateline == "本报讯" or arts[0].dateline.startswith("本报希腊")
    assert arts[0].body[-1].text.endswith("代表出席。")
    assert [a.headline for a in arts][1:] == [["城市更新提速"], ["持续释放创新能量（现场评论）"]]
    assert arts[1].continuation == "下转第12版"


def test_text_and_picture_credit_in_a_bracket_byline_is_not_part_of_the_name():
    arts = _one("山区通了公交车\n\n本报讯（记者　林小东 文 /　图） 山区群众盼望多年的公交车今天开通了。\n")
    assert arts[0].reporters == ["林小东"]


def test_column_labels_are_not_bylines():
    para = "　　在编读互动中形成利于环境的良性循环，让阅读更\n绿色，也让我们的生活更美好，大家都有责任。\n"
    arts = _one("会议今天召开\n\n本报讯 会议今天召开，部署了全年的工作。（记者 张三）\n\n"
                "科技创新路上的动人写照（记者手记）\n" + para * 2 + "\n\n无痕出游，你做到了吗\n（说道）\n" + para * 2)
    assert [a.reporters for a in arts] == [["张三"], [], []]
    assert arts[1].headline == ["科技创新路上的动人写照（记者手记）"]


UNWRAPPED_PAGE = """\
B02 | 城事 |

【城建】背街小巷换新颜
文/本报记者 何平
本报讯 今年以来，我市对八十条背街小巷进行改造，路面平整了，路灯亮了，居民出行更方便。
【核心提示】小巷改造既要面子更要里子，怎样让居民满意？记者走访了几个社区。
■ 先问需于民
改造前，街道逐户征求意见，共收集建议三百多条。
■ 再精细施工
施工队分段作业，尽量减少对居民生活的影响。
▲ 图为改造后的小巷。（本报记者 何平 摄）
读者热线：87654321
"""


def test_an_unwrapped_export_gives_one_paragraph_a_line_and_drops_marks_and_credits():
    page = parse_text(UNWRAPPED_PAGE, analyze=False)
    assert (page.page, page.section) == ("B02", "城事")
    (article,) = page.articles
    assert article.headline == ["【城建】背街小巷换新颜"] and article.reporters == ["何平"]
    assert [b.kind for b in article.body] == ["p", "p", "subhead", "p", "subhead", "p"]
    assert article.body[1].text.startswith("【核心提示】") and article.body[2].text == "先问需于民"
    assert article.captions == ["图为改造后的小巷。"]


def test_numbered_short_subheads_stand_alone():
    arts = _one("◎产业观察\n新能源汽车产业链加快集聚\n□本报记者 吴刚 通讯员 孙丽\n"
                "本报郑州3月2日讯 记者从市发改委获悉，今年一季度，全市新能源汽车产量同比增长三成。\n"
                "一、龙头企业带动明显\n多家龙头企业扩大产能，带动上下游企业落户。\n"
                "二、配套服务不断完善\n充电设施建设加快推进，全市新建充电桩两千个。\n")
    assert arts[0].reporters == ["吴刚", "孙丽"]
    assert "".join(filter(None, [arts[0].kicker, *arts[0].headline])) == "产业观察新能源汽车产业链加快集聚"
    assert [b.kind for b in arts[0].body] == ["p", "subhead", "p", "subhead", "p"]


def test_caption_set_in_the_column_with_its_credit_at_the_end():
    para = "　　边防连官兵常年坚守在高原哨所，克服高寒缺氧等困\n难，出色完成各项巡逻执勤任务，为祖国站好岗放好哨。\n"
    arts = _one("高原哨所的春节\n\n本报讯 " + para.strip() + "\n" + para + "\n"
                "西陲边关，寒风凛冽，大雪纷飞。七日，驻守在高原的边防\n连官兵前往海拔四千米的山口巡逻。\n"
                "图为巡逻官兵过冰河。  刘南方摄（某某视觉）\n不加塑封的书可以吗（说道）\n" + para)
    assert arts[0].captions == ["西陲边关，寒风凛冽，大雪纷飞。七日，驻守在高原的边防连官兵前往海拔四千米的山口巡逻。图为巡逻官兵过冰河。"]
    assert arts[-1].headline == ["不加塑封的书可以吗（说道）"]


def test_stacked_heading_lines_right_under_the_text_before_them():
    para = "　　联合国特使办公室今天发表声明称，双方代表在邻国首\n都就交换战俘的名单进行了新一轮会谈，取得积极进展。\n"
    arts = _one("和谈取得进展\n\n" + para * 2 + "换俘问题持续推进\n人道危机有望缓解\n第二轮和谈取得积极进展\n" + para)
    assert len(arts) == 2
    heading = "".join(filter(None, [arts[1].kicker, *arts[1].headline, arts[1].subtitle]))
    assert heading == "换俘问题持续推进人道危机有望缓解第二轮和谈取得积极进展"
    assert arts[0].body[-1].text.endswith("取得积极进展。")


def test_a_photo_credit_byline_names_no_reporter_but_text_and_pictures_does():
    arts = _one("春到茶园\n本报记者 张小明摄影报道\n  茶园里，茶农们正忙着采摘今年的第一批新茶。\n\n"
                "乡村书屋开张\n记者 李华 文/图\n  乡村书屋今天开张，村民们前来借书。\n")
    assert arts[0].reporters == [] and "张小明" in (arts[0].byline or "")
    assert arts[1].reporters == ["李华"]
