"""PDF pages in: geometry -> roles, reading order, paragraphs, boxes; bad PDFs; several pages.

Every page here is drawn by the test with reportlab's built-in STSong-Light CID font, in
layouts made up for the test (no text from any data set)."""
from __future__ import annotations

import json
import tracemalloc
from pathlib import Path

import pytest
from click.testing import CliRunner

pytest.importorskip("reportlab")
pytest.importorskip("pypdfium2")

from reportlab.pdfbase import pdfmetrics  # noqa: E402
from reportlab.pdfbase.cidfonts import UnicodeCIDFont  # noqa: E402
from reportlab.pdfgen import canvas  # noqa: E402

from newsnlp import pipeline  # noqa: E402
from newsnlp.cli import cli  # noqa: E402
from newsnlp.errors import InputError  # noqa: E402
from newsnlp.pdf import read_pdf  # noqa: E402

FONT = "STSong-Light"
pdfmetrics.registerFont(UnicodeCIDFont(FONT))
W, H = 600, 800


class Sheet:
    """A page drawn in the test: text at (x, top) in points, y downwards, like the reader's boxes."""

    def __init__(self, c: canvas.Canvas):
        self.c = c

    def text(self, x: float, top: float, s: str, size: float, bold: bool = False) -> None:
        self.c.setFont(FONT, size)
        self.c.drawString(x, H - top - size * 0.88, s)
        if bold:  # fake bold: the same string again, a fraction of a point to the right
            self.c.drawString(x + 0.45, H - top - size * 0.88, s)

    def rule(self, x0: float, top: float, x1: float) -> None:
        self.c.line(x0, H - top, x1, H - top)

    def picture(self, x0: float, top: float, x1: float, bottom: float) -> None:
        self.c.setFillGray(0.6)
        self.c.rect(x0, H - bottom, x1 - x0, bottom - top, fill=1, stroke=0)
        self.c.setFillGray(0)

    def column(self, x0: float, top: float, width_chars: int, paragraphs: list[str], size: float = 10,
               indent: bool = True, leading: float = 1.5, continued: bool = False) -> float:
        """Set paragraphs in a column (each line justified to ``width_chars``); returns the bottom."""
        y = top
        for n, para in enumerate(paragraphs):
            first = not (continued and n == 0)
            while para:
                room = width_chars - (2 if first and indent else 0)
                line, para = para[:room], para[room:]
                self.text(x0 + (2 * size if first and indent else 0), y, line, size)
                first = False
                y += size * leading
        return y


def make_pdf(path: Path, *pages, **kw) -> Path:
    c = canvas.Canvas(str(path), pagesize=(W, H), **kw)
    for draw in pages:
        draw(Sheet(c))
        c.showPage()
    c.save()
    return path


# made-up text
P1 = "新学期开始以来，河湾镇中心小学组织教师走进学生家庭，了解孩子们的学习和生活情况。"
P2 = "校长介绍说，今年学校新建了阅览室和科学实验室，课后服务覆盖全体学生，家长们普遍表示满意。"
P3 = "下一步，学校还将开设书法、围棋等兴趣课程，让每个孩子都能找到自己的爱好。"
Q1 = "春雨过后，山坡上的茶园一片新绿，采茶工人背着竹篓穿行在茶垄之间。"
Q2 = "茶农算了一笔账：今年春茶价格稳中有升，全村茶叶收入有望比去年增加两成。"


def front_page(s: Sheet) -> None:
    s.text(30, 20, "河湾日报  2023年4月6日  星期四  第2版  社会", 8)
    s.rule(30, 34, 570)
    s.text(30, 50, "家校携手共育新人", 12)  # kicker
    s.text(30, 70, "老师们走进千家万户", 24, bold=True)  # headline
    s.text(30, 102, "——河湾镇中心小学开展家访活动见闻", 12)  # subtitle
    s.text(30, 124, "本报记者  林晓东", 9)  # byline, own line
    bottom = s.column(30, 142, 25, [P1 + P1], indent=True)
    s.text(30, bottom + 6, "阅览室里书声琅琅", 11.5, bold=True)  # subhead
    s.column(30, bottom + 30, 25, [P2])
    # the second column goes on with the last paragraph of the first, unindented at its head
    s.column(310, 142, 25, [P3, P3 + P3], indent=True)
    s.rule(30, 400, 570)
    s.text(30, 414, "茶园春忙", 22, bold=True)
    s.picture(310, 414, 570, 520)
    s.text(310, 526, "图为茶农在茶园里采摘春茶。", 8)  # caption under the picture
    s.column(30, 450, 25, [Q1, Q2 + Q2])


def second_page(s: Sheet) -> None:
    s.text(30, 40, "山村夜校亮起来", 22)
    s.column(30, 80, 50, ["本报讯（记者 吴青）" + Q1 + Q2, P3])


@pytest.fixture(scope="module")
def sample_pdf(tmp_path_factory) -> Path:
    return make_pdf(tmp_path_factory.mktemp("pdf") / "2023-04-06-p2.pdf", front_page)


def parse(path: Path, **kw):
    return list(pipeline.parse_pages(path, analyze=False, **kw))


def test_roles_from_type_size_and_placement(sample_pdf):
    [page] = parse(sample_pdf)
    assert page.page == "2" and page.publication_date == "2023-04-06" and page.number == 1
    assert (page.width, page.height) == (W, H)
    first, second = page.articles
    assert first.kicker == "家校携手共育新人"
    assert first.title == "老师们走进千家万户"  # fake bold drawn twice: printed once
    assert first.subtitle == "河湾镇中心小学开展家访活动见闻"
    assert first.reporters == ["林晓东"]
    assert [b.kind for b in first.body] == ["p", "subhead", "p", "p", "p"]
    assert first.body[1].text == "阅览室里书声琅琅"
    assert second.title == "茶园春忙"
    assert second.captions == ["图为茶农在茶园里采摘春茶。"]


def test_paragraphs_from_indents_and_across_columns(sample_pdf):
    [page] = parse(sample_pdf)
    first = page.articles[0]
    texts = [b.text for b in first.body if b.kind == "p"]
    assert texts[0] == P1 + P1
    assert texts[1] == P2
    assert texts[2] == P3  # the head of the second column opens a paragraph with its indent
    assert texts[3] == P3 + P3  # a paragraph wrapped over many lines is one paragraph
    assert [b.text for b in page.articles[1].body] == [Q1, Q2 + Q2]


def test_articles_and_blocks_carry_their_boxes(sample_pdf):
    [page] = parse(sample_pdf)
    first, second = page.articles
    x0, top, x1, bottom = first.bbox
    assert x0 == pytest.approx(30, abs=1) and top < 60 and x1 > 500 and bottom < 400  # above the rule
    assert second.bbox[1] > 400
    for block in first.body:
        bx0, btop, bx1, bbottom = block.bbox
        assert x0 - 0.5 <= bx0 < bx1 <= x1 + 0.5 and top - 0.5 <= btop < bbottom <= bottom + 0.5
    assert page.to_dict()["articles"][0]["bbox"] == first.bbox  # in the JSON contract


def test_several_pages_one_json_line_each_and_one_stored_page_each(tmp_path):
    pdf = make_pdf(tmp_path / "paper.pdf", front_page, second_page)
    result = CliRunner().invoke(cli, ["parse", str(pdf)])
    assert result.exit_code == 0, result.output
    pages = [json.loads(line) for line in result.output.splitlines()]
    assert [p["number"] for p in pages] == [1, 2]
    assert pages[0]["source"].endswith("paper.pdf#page=1") and pages[1]["source"].endswith("paper.pdf#page=2")
    assert pages[1]["articles"][0]["headline"] == ["山村夜校亮起来"]
    assert pages[1]["articles"][0]["reporters"] == ["吴青"]
    ids = [a["id"] for p in pages for a in p["articles"]]
    assert len(ids) == len(set(ids)) == 3
    archive = tmp_path / "archive"
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--archive", str(archive), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert len(list((archive / "pages").glob("*.json"))) == 2
    result = CliRunner().invoke(cli, ["search", "夜校", "--archive", str(archive), "--json"])
    assert json.loads(result.output)["total"] == 1


def test_pages_are_read_one_at_a_time(tmp_path):
    pdf = make_pdf(tmp_path / "long.pdf", *[second_page] * 60)
    tracemalloc.start()
    try:
        pages = read_pdf(pdf)
        first = next(pages)
        _, peak_one = tracemalloc.get_traced_memory()
        count = 1 + sum(1 for _ in pages)
        _, peak_all = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert first.number == 1 and count == 60
    assert peak_all < 3 * peak_one + 2_000_000  # not 60 pages held at once


def blank_page(s: Sheet) -> None:
    s.picture(50, 50, 550, 750)  # a scan: a picture, no text


@pytest.mark.parametrize("case, message", [
    ("encrypted", "encrypted"),
    ("no_text", "--ocr"),
    ("truncated", "damaged or truncated"),
    ("not_pdf", "not a readable PDF"),
])
def test_bad_pdfs_give_one_line_and_store_nothing(tmp_path, case, message):
    path = tmp_path / "bad.pdf"
    if case == "encrypted":
        make_pdf(path, front_page, encrypt="secret")
    elif case == "no_text":
        make_pdf(path, blank_page)
    elif case == "truncated":
        data = make_pdf(tmp_path / "whole.pdf", front_page).read_bytes()
        path.write_bytes(data[: len(data) // 2])
    else:
        path.write_bytes(b"%PDF-1.4\nthis is not a PDF at all\n")
    with pytest.raises(InputError) as err:
        parse(path)
    assert message in str(err.value) and "\n" not in str(err.value)
    archive = tmp_path / "archive"
    result = CliRunner().invoke(cli, ["ingest", str(path), "--archive", str(archive), "--jobs", "1"])
    assert result.exit_code == 1
    assert "Traceback" not in result.output and message in result.output
    assert not list((archive / "pages").glob("*.json")) if (archive / "pages").exists() else True


UNMAPPED_PDF = b"""%PDF-1.4
1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj
2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> endobj
3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 300 300] /Contents 4 0 R
  /Resources << /Font << /F1 5 0 R >> >> >> endobj
4 0 obj << /Length LENGTH >> stream
CONTENT
endstream endobj
5 0 obj << /Type /Font /Subtype /Type0 /BaseFont /NoSuchFont /Encoding /Identity-H
  /DescendantFonts [6 0 R] >> endobj
6 0 obj << /Type /Font /Subtype /CIDFontType2 /BaseFont /NoSuchFont
  /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /DW 1000 >> endobj
trailer << /Root 1 0 R >>
%%EOF
"""


def test_unmapped_cid_glyphs_are_reported_not_indexed(tmp_path):
    # a font with Identity-H encoding and no ToUnicode map: the glyph ids mean nothing as text
    lines = b"".join(b"BT /F1 10 Tf 20 %d Td <%s> Tj ET\n" % (280 - 12 * k, (b"0102030405060708" * 3))
                     for k in range(20))
    path = tmp_path / "cid.pdf"
    path.write_bytes(UNMAPPED_PDF.replace(b"LENGTH", b"%d" % len(lines)).replace(b"CONTENT", lines))
    with pytest.raises(InputError, match="no Unicode mapping|no text layer"):
        parse(path)


def long_byline_page(s: Sheet) -> None:
    s.text(30, 40, "山乡秋收一派忙碌", 22)
    # a byline of many names wraps onto a second line above the text, in body type
    s.text(30, 80, "本报记者 林晓东、吴青、周小平、王", 10)
    s.text(30, 95, "海燕、陈立新、赵一鸣", 10)
    s.column(30, 115, 25, [Q1 + Q2, P3], indent=False, leading=1.5)


def test_a_long_byline_over_two_lines_is_the_byline(tmp_path):
    [page] = parse(make_pdf(tmp_path / "page.pdf", long_byline_page))
    [article] = page.articles
    assert article.reporters == ["林晓东", "吴青", "周小平", "王海燕", "陈立新", "赵一鸣"]
    assert article.body[0].text.startswith("春雨过后")
