"""Generated newspaper pages rendered to PDF (newsnlp.testing_pdf), read back with pypdfium2.

Most tests use small gold pages made up here; the ones on family A/B pages skip
without ../shared/data."""
import random
from collections import Counter

import pytest

pdfium = pytest.importorskip("pypdfium2")
pytest.importorskip("reportlab")
import pypdfium2.raw as pdfium_c  # noqa: E402

from newsnlp.testing_pdf import LAYOUT_STYLES, render_gold_pdf, render_pdf  # noqa: E402

_WORDS = ("城市 乡村 发展 建设 改革 群众 服务 工作 企业 项目 学校 医院 道路 河流 农民 工人 科技 文化 "
          "经济 社会 生活 环境 交通 教育 市场 产品 资金 政策 会议 代表 干部 居民 社区 志愿者 技术 "
          "工程 水利 粮食 蔬菜 电力 网络 旅游 节日 冬季 春天 安全 质量 标准 规划 治理").split()
_VERBS = "推进 完善 加强 提高 开展 落实 组织 支持 保障 改善 促进 建立 探索 研究 实施".split()
_NAMES = ["林晓东", "王海", "陈静", "赵明辉", "周琳"]


def _sentence(rng: random.Random) -> str:
    parts = []
    for _ in range(rng.randint(2, 4)):
        tail = rng.choice(["", "的" + rng.choice(_WORDS), f"{rng.randint(2, 2024)}个", "“" + rng.choice(_WORDS) + "”"])
        parts.append(rng.choice(_WORDS) + rng.choice(_VERBS) + rng.choice(_WORDS) + tail)
    return "，".join(parts) + rng.choice(["。", "。", "；", "！"])


def _para(rng: random.Random, n: int) -> str:
    return "".join(_sentence(rng) for _ in range(n))


def _article(rng: random.Random, n: int, size: int, **extra) -> dict:
    body = []
    for k in range(size):
        if k and k % 4 == 0 and k < size - 1:
            body.append({"kind": "subhead", "text": rng.choice(_WORDS) + rng.choice(_VERBS) + rng.choice(_WORDS)})
        body.append({"kind": "p", "text": _para(rng, rng.randint(1, 4))})
    art = {"id": str(n), "headline": [rng.choice(_WORDS) + rng.choice(_VERBS) + rng.choice(_WORDS) + rng.choice(_WORDS)],
           "kicker": None, "subtitle": None, "dateline": None, "byline": None, "reporters": [], "body": body,
           "captions": [], "continuation": None}
    art.update(extra)
    return art


def _page(seed: int, n_articles: int | None = None) -> dict:
    rng = random.Random(seed)
    articles = []
    for n in range(1, (n_articles or rng.randint(2, 6)) + 1):
        extra = {}
        if rng.random() < 0.5:
            extra["dateline"] = f"本报江州{rng.randint(1, 12)}月{rng.randint(1, 28)}日电"
        if rng.random() < 0.6:
            names = rng.sample(_NAMES, rng.randint(1, 2))
            extra.update(reporters=names, byline=rng.choice(["记者 ", "本报记者 "]) + "、".join(names))
        if rng.random() < 0.3:
            extra["kicker"] = rng.choice(_WORDS) + rng.choice(_VERBS) + rng.choice(_WORDS) + "——"
        if rng.random() < 0.3:
            extra["subtitle"] = rng.choice(_WORDS) + rng.choice(_VERBS) + rng.choice(_WORDS) + rng.choice(_WORDS)
        if rng.random() < 0.4:
            extra["captions"] = [rng.choice(_WORDS) + rng.choice(_VERBS) + "现场。"]
        if rng.random() < 0.3:
            second = rng.choice(_WORDS) + rng.choice(_VERBS) + rng.choice(_WORDS) + "（" + rng.choice(_WORDS) + "观察）"
            extra["headline"] = ["第一行" + rng.choice(_WORDS) + rng.choice(_WORDS), second]
        if n == 2 and rng.random() < 0.3:
            extra.update(headline=[], continuation="上接第一版")
        elif n == 1 and rng.random() < 0.2:
            extra["continuation"] = "下转第八版"
        articles.append(_article(rng, n, rng.randint(2, 14), **extra))
    return {"source": "<made-up>", "paper": "江州日报", "page": "第3版", "publication_date": "2020-03-05",
            "section": rng.choice(["要闻", "经济", None]),
            "furniture": ["第3版", "江州日报 2020年3月5日 星期四", f"责任编辑：{rng.choice(_NAMES)}"], "articles": articles}


# --------------------------------------------------------------------------- reading the PDF back

def _chars(pdf: bytes, index: int, height: float) -> list[tuple[str, float, float, float, float, float]]:
    """Non-blank characters of a page in extraction order: (char, x0, top, x1, bottom, size),
    top-left origin, with the duplicates of fake bold (same character and size, same
    line, less than 1 pt to the right of the first) removed."""
    textpage = pdfium.PdfDocument(pdf)[index].get_textpage()
    out, seen = [], {}
    for i in range(textpage.count_chars()):
        ch = chr(pdfium_c.FPDFText_GetUnicode(textpage, i))
        if ch.isspace() or pdfium_c.FPDFText_IsGenerated(textpage, i) == 1:
            continue
        x0, y0, x1, y1 = textpage.get_charbox(i, loose=True)
        size = pdfium_c.FPDFText_GetFontSize(textpage, i)
        key = (ch, round(height - y1), round(size, 1))
        if any(0 < x0 - x < 1.0 for x in seen.get(key, [])):
            continue
        seen.setdefault(key, []).append(x0)
        out.append((ch, x0, height - y1, x1, height - y0, size))
    return out


def _text(chars) -> str:
    return "".join(c[0] for c in chars)


def _squeeze(text: str | None) -> str:
    return "".join(ch for ch in text or "" if not ch.isspace())


def _all_lines(gold: dict) -> list[dict]:
    return gold["header_lines"] + [line for art in gold["articles"] for line in art["lines"]]


def _overlap(a, b, tol: float = 0.05) -> bool:
    return min(a[2], b[2]) - max(a[0], b[0]) > tol and min(a[3], b[3]) - max(a[1], b[1]) > tol


@pytest.fixture(scope="module")
def rendered():
    pages = [_page(seed) for seed in range(12)]
    pdf, golds = render_gold_pdf(pages, seed=5)
    return pages, pdf, golds


# --------------------------------------------------------------------------- tests

def test_one_pdf_page_per_gold_page(rendered):
    pages, pdf, golds = rendered
    doc = pdfium.PdfDocument(pdf)
    assert len(doc) == len(pages) == len(golds)
    for i, gold in enumerate(golds):
        w, h = doc[i].get_size()
        assert [round(w), round(h)] == [round(v) for v in gold["page_size"]]
        assert 800 <= w <= 1200 and h >= 1100  # A3 or broadsheet
        assert gold["articles"] and all("bbox" in a and a["lines"] for a in gold["articles"])


def test_every_gold_piece_printed_in_order(rendered):
    pages, pdf, golds = rendered
    for i, (page, gold) in enumerate(zip(pages, golds)):
        text = _text(_chars(pdf, i, gold["page_size"][1]))
        for line in page["furniture"]:
            assert _squeeze(line) in text
        if page["section"]:
            assert page["section"] in text
        position = 0
        for art in page["articles"]:
            for piece in [art["kicker"], *art["headline"], art["subtitle"], art["dateline"], art["byline"],
                          art["continuation"], *art["captions"]]:
                if piece:
                    assert _squeeze(piece) in text, (i, piece)
            for block in art["body"]:
                found = text.find(block["text"], position)
                assert found >= 0, (i, block["text"][:20])
                position = found + len(block["text"])


def test_every_character_printed_exactly_once(rendered):
    """The page's characters (fake bold counted once) are those of the printed lines, and
    those are the gold's plus only brackets, dashes and the caption credits."""
    pages, pdf, golds = rendered
    for i, (page, gold) in enumerate(zip(pages, golds)):
        printed = Counter(_squeeze("".join(line["text"] for line in _all_lines(gold))))
        assert Counter(_text(_chars(pdf, i, gold["page_size"][1]))) == printed, i
        pieces = list(page["furniture"]) + [page["section"] or ""]
        for art, out in zip(page["articles"], gold["articles"]):
            pieces += [art["kicker"], *art["headline"], art["subtitle"], art["dateline"], art["byline"],
                       art["continuation"], *art["captions"], *out["caption_credits"]]
            pieces += [b["text"] for b in art["body"]]
        expected = Counter(_squeeze("".join(p for p in pieces if p)))
        extra = printed - expected
        assert set(extra) <= set("（）()—"), (i, extra)
        assert not expected - printed, (i, expected - printed)


def test_line_boxes_match_the_text_layer(rendered):
    """Every character lies in exactly one gold line box, at that line's size, and the
    characters in a box spell the line; headlines are larger than body text."""
    pages, pdf, golds = rendered
    for i, gold in enumerate(golds):
        chars = _chars(pdf, i, gold["page_size"][1])
        lines = _all_lines(gold)
        got = [[] for _ in lines]
        for ch in chars:
            cx, cy = (ch[1] + ch[3]) / 2, (ch[2] + ch[4]) / 2
            hits = [n for n, line in enumerate(lines) if line["bbox"][0] - 1 <= cx <= line["bbox"][2] + 1
                    and line["bbox"][1] - 1 <= cy <= line["bbox"][3] + 1]
            assert len(hits) == 1, (i, ch)
            got[hits[0]].append(ch)
        body_sizes, head_sizes = [], []
        for line, cs in zip(lines, got):
            assert _text(cs) == _squeeze(line["text"]), (i, line["text"])
            assert all(abs(c[5] - line["size"]) < 0.05 for c in cs)
            (head_sizes if line["kind"] == "headline" else body_sizes if line["kind"] == "body" else []).extend(
                c[5] for c in cs)
        assert head_sizes and min(head_sizes) >= 16 > 11 > max(body_sizes)
        assert 7 <= min(body_sizes)


def test_no_two_text_lines_overlap_and_articles_keep_to_their_regions(rendered):
    pages, pdf, golds = rendered
    for i, gold in enumerate(golds):
        w, h = gold["page_size"]
        lines = _all_lines(gold)
        for a in range(len(lines)):
            box = lines[a]["bbox"]
            assert 0 <= box[0] and box[2] <= w and 0 <= box[1] and box[3] <= h
            for b in range(a + 1, len(lines)):
                assert not _overlap(box, lines[b]["bbox"]), (i, lines[a]["text"], lines[b]["text"])
        arts = gold["articles"]
        for art in arts:
            x0, y0, x1, y1 = art["bbox"]
            for line in art["lines"]:
                assert x0 - 0.01 <= line["bbox"][0] and line["bbox"][2] <= x1 + 0.01
                assert y0 - 0.01 <= line["bbox"][1] and line["bbox"][3] <= y1 + 0.01
                assert any(s[0] - 0.01 <= line["bbox"][0] and line["bbox"][2] <= s[2] + 0.01
                           and s[1] - 0.01 <= line["bbox"][1] and line["bbox"][3] <= s[3] + 0.01 for s in art["boxes"])
        for a in range(len(arts)):
            for b in range(a + 1, len(arts)):
                for s in arts[a]["boxes"]:
                    assert not any(_overlap(s, t, 0.5) for t in arts[b]["boxes"]), (i, a, b)
                if gold["layout"]["style"] == "modular":
                    assert not _overlap(arts[a]["bbox"], arts[b]["bbox"], 0.5)
        header_bottom = max(line["bbox"][3] for line in gold["header_lines"])
        assert header_bottom < min(art["bbox"][1] for art in arts)


def test_both_layout_styles_occur_and_can_be_chosen():
    pages = [_page(seed, 2) for seed in range(8)]
    _, golds = render_gold_pdf(pages, seed=1)
    assert {g["layout"]["style"] for g in golds} == set(LAYOUT_STYLES)
    for style in LAYOUT_STYLES:
        _, golds = render_gold_pdf(pages[:3], seed=2, styles=[style])
        assert {g["layout"]["style"] for g in golds} == {style}
    with pytest.raises(ValueError):
        render_pdf(pages[:1], styles=["magazine"])


def test_layouts_vary_between_pages(rendered):
    _, _, golds = rendered
    layouts = [g["layout"] for g in golds]
    assert len({lay["body_size"] for lay in layouts}) > 2
    assert {lay["indent"] for lay in layouts} == {True, False}
    assert {lay["fake_bold_headlines"] for lay in layouts} == {True, False}
    flow = [lay["columns"] for lay in layouts if lay["style"] == "flow"]
    assert flow and all(4 <= c <= 7 for c in flow)


def test_fake_bold_draws_headlines_twice(rendered):
    """With fake bold a headline is drawn twice, 0.3-0.6 pt apart: the raw text layer
    holds each of its characters twice (unless pdfium merged the copies)."""
    _, pdf, golds = rendered
    bold = [(i, g) for i, g in enumerate(golds) if g["layout"]["fake_bold_headlines"]]
    assert bold
    i, gold = bold[0]
    textpage = pdfium.PdfDocument(pdf)[i].get_textpage()
    raw = _squeeze(textpage.get_text_range())
    dedup = _text(_chars(pdf, i, gold["page_size"][1]))
    head = [line for art in gold["articles"] for line in art["lines"] if line["kind"] == "headline"]
    assert head and all(line["bold"] for line in head)
    assert len(raw) >= len(dedup)
    assert all(raw.count(_squeeze(line["text"])) >= 1 for line in head if len(line["text"]) > 1)


def test_deterministic_for_a_seed():
    pages = [_page(3), _page(4)]
    assert render_pdf(pages, seed=9) == render_pdf(pages, seed=9)
    _, a = render_gold_pdf(pages, seed=9)
    _, b = render_gold_pdf(pages, seed=10)
    assert a != b


def test_text_too_long_for_a_page_is_never_dropped():
    rng = random.Random(7)
    page = _page(11, 2)
    page["articles"][0]["body"] = [{"kind": "p", "text": _para(rng, 12)} for _ in range(60)]
    page["articles"][1]["body"] = [{"kind": "p", "text": "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789" * 4 + "。"}]
    for style in LAYOUT_STYLES:
        pdf, golds = render_gold_pdf([page], styles=[style])
        text = _text(_chars(pdf, 0, golds[0]["page_size"][1]))
        position = 0
        for art in page["articles"]:
            for block in art["body"]:
                found = text.find(block["text"], position)
                assert found >= 0
                position = found + len(block["text"])


# --------------------------------------------------------------------------- on generated family A/B pages

def _check_generated(golds_in, seed):
    pdf, golds = render_gold_pdf(golds_in, seed=seed)
    assert len(pdfium.PdfDocument(pdf)) == len(golds_in)
    for i, (page, gold) in enumerate(zip(golds_in, golds)):
        text = _text(_chars(pdf, i, gold["page_size"][1]))
        printed = Counter(_squeeze("".join(line["text"] for line in _all_lines(gold))))
        assert Counter(text) == printed
        position = 0
        for art in page["articles"]:
            for piece in [art.get("kicker"), *art["headline"], art.get("subtitle"), art.get("dateline"),
                          art.get("byline"), art.get("continuation"), *art["captions"]]:
                if piece:
                    assert _squeeze(piece) in text, (i, piece)
            for block in art["body"]:
                found = text.find(block["text"], position)
                assert found >= 0, (i, block["text"][:20])
                position = found + len(block["text"])


def test_family_a_pages(shared_data):
    from newsnlp.testing import generate_page, load_peoples_daily_articles

    path = shared_data / "peoples_daily_1998_01" / "199801.txt"
    if not path.is_file():
        pytest.skip("199801.txt not present")
    articles = load_peoples_daily_articles(path)
    _check_generated([generate_page(articles, rng=random.Random(s))[1] for s in range(8)], seed=3)


def test_family_b_pages(shared_data):
    from newsnlp.testing_b import generate_page_b, load_2019_articles, split_articles

    folder = shared_data / "peoples_daily_2019"
    if not folder.is_dir():
        pytest.skip("peoples_daily_2019 not present")
    articles = split_articles(load_2019_articles(folder), "dev")
    _check_generated([generate_page_b(articles, rng=random.Random(s))[1] for s in range(8)], seed=4)
