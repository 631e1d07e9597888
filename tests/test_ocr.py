"""OCR output in: hOCR and ALTO through the geometry path; page scans through real Tesseract.

The hOCR and ALTO pages are written by the test in a layout made up for it; the scan is
a page drawn by the test (tests/test_pdf.py) rendered at 300 dpi and read by Tesseract."""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsnlp import pipeline
from newsnlp.cli import cli
from newsnlp.errors import InputError
from newsnlp.ocr import read_alto, read_hocr

# made-up page: furniture, a headline over two columns, a byline, two paragraphs in the left
# column running on into the right one, a subhead, then a second article under a wide gap
LINES = [  # (x0, top, x1, bottom, text); 10 px a character of body type, 1 px = 1 unit
    (40, 20, 400, 32, "河湾日报 2023年4月6日 第2版"),
    (40, 60, 440, 100, "老师们走进千家万户"),
    (40, 110, 160, 122, "本报记者 林晓东"),
    (60, 140, 300, 152, "新学期开始以来，河湾镇中心小学组"),
    (40, 158, 300, 170, "织教师走进学生家庭，了解孩子们的学"),
    (40, 176, 180, 188, "习和生活情况。"),
    (60, 194, 300, 206, "校长介绍说，今年学校新建了阅览室和"),
    (320, 140, 580, 152, "科学实验室，课后服务覆盖全体学生，"),
    (320, 158, 460, 170, "家长们普遍表示满意。"),
    (320, 182, 470, 196, "阅览室里书声琅琅"),
    (340, 206, 580, 218, "下一步，学校还将开设书法、围棋等兴"),
    (320, 224, 500, 236, "趣课程，丰富课余生活。"),
    (40, 300, 300, 332, "茶园春忙"),
    (60, 344, 300, 356, "春雨过后，山坡上的茶园一片新绿，采"),
    (40, 362, 260, 374, "茶工人背着竹篓穿行在茶垄之间。"),
]


def hocr_page(lines=LINES) -> str:
    spans = []
    for n, (x0, top, x1, bottom, text) in enumerate(lines):
        words = "".join(f"<span class='ocrx_word' title='bbox {x0} {top} {x1} {bottom}; x_wconf 90'>{w}</span> "
                        for w in text.split())
        spans.append(f"<span class='ocr_line' id='line_{n}' title='bbox {x0} {top} {x1} {bottom}; "
                     f"x_size {bottom - top}'>{words}</span>")
    return ("<?xml version='1.0' encoding='UTF-8'?><html xmlns='http://www.w3.org/1999/xhtml'><body>"
            "<div class='ocr_page' title='bbox 0 0 620 1400; ppageno 0'>" + "".join(spans) + "</div></body></html>")


def alto_page(lines=LINES, *, styles: bool) -> str:
    text_lines = []
    for x0, top, x1, bottom, text in lines:
        ref = f" STYLEREFS='s{bottom - top}'" if styles else ""
        words = "<SP/>".join(f"<String CONTENT='{w}' HPOS='{x0}' VPOS='{top}' WIDTH='{x1 - x0}' HEIGHT='{bottom - top}'/>"
                             for w in text.split())
        text_lines.append(f"<TextLine HPOS='{x0}' VPOS='{top}' WIDTH='{x1 - x0}' HEIGHT='{bottom - top}'{ref}>"
                          f"{words}</TextLine>")
    style_defs = "".join(f"<TextStyle ID='s{h}' FONTSIZE='{h * 0.75}'/>" for h in {b - t for _, t, _, b, _ in lines})
    return ("<?xml version='1.0' encoding='UTF-8'?>"
            "<alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'>"
            f"<Styles>{style_defs if styles else ''}</Styles><Layout><Page WIDTH='620' HEIGHT='1400'>"
            "<PrintSpace><TextBlock>" + "".join(text_lines) + "</TextBlock></PrintSpace></Page></Layout></alto>")


def check_page(page) -> None:
    first, second = page.articles
    assert first.title == "老师们走进千家万户" and first.reporters == ["林晓东"]
    assert [b.kind for b in first.body] == ["p", "p", "subhead", "p"]
    assert first.body[1].text.endswith("家长们普遍表示满意。")  # the paragraph runs on into the next column
    assert first.body[2].text == "阅览室里书声琅琅"
    assert second.title == "茶园春忙" and second.body[0].text.endswith("穿行在茶垄之间。")
    assert first.bbox == [40, 60, 580, 236] and page.width == 620
    assert page.page == "2"


@pytest.mark.parametrize("kind", ["hocr", "alto", "alto-styles"])
def test_ocr_files_go_through_the_geometry_path(tmp_path, kind):
    path = tmp_path / ("page.hocr" if kind == "hocr" else "page.xml")
    path.write_text(hocr_page() if kind == "hocr" else alto_page(styles=kind == "alto-styles"), encoding="utf-8")
    [page] = pipeline.parse_pages(path, analyze=False)
    check_page(page)
    assert page.source.endswith("#page=1")


def test_alto_type_sizes_come_from_its_styles():
    [page] = read_alto(alto_page(styles=True))
    sizes = {ln.text: ln.size for ln in page.lines}
    assert sizes["茶园春忙"] == 24 and sizes["习和生活情况。"] == 9


def test_low_confidence_specks_are_dropped():
    html = hocr_page().replace("x_wconf 90'>习和生活情况。", "x_wconf 12'>习和生活情况。")
    [page] = read_hocr(html)
    assert "习和生活情况。" not in [ln.text for ln in page.lines]


def test_a_folder_of_alto_files_is_a_folder_of_pages(tmp_path):
    for n in (1, 2):
        (tmp_path / f"0000{n}.xml").write_text(alto_page(styles=True), encoding="utf-8")
    (tmp_path / "mets.xml").write_text("<mets xmlns='http://www.loc.gov/METS/'/>", encoding="utf-8")  # not a page
    archive = tmp_path / "archive"
    result = CliRunner().invoke(cli, ["ingest", str(tmp_path), "--archive", str(archive), "--jobs", "1"])
    assert result.exit_code == 0, result.output
    assert len(list((archive / "pages").glob("*.json"))) == 2


def test_bad_ocr_files_give_one_line(tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_text("<alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'><Layout><Page", encoding="utf-8")
    with pytest.raises(InputError, match="not well-formed ALTO"):
        list(pipeline.parse_pages(broken, analyze=False))
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n")
    result = CliRunner().invoke(cli, ["parse", str(scan)])
    assert result.exit_code == 1 and "--ocr" in result.output and "Traceback" not in result.output


def test_ocr_without_tesseract_says_what_to_install(tmp_path):
    scan = tmp_path / "scan.png"
    scan.write_bytes(b"\x89PNG\r\n\x1a\n")
    env = {**os.environ, "PATH": str(tmp_path)}  # no tesseract on this PATH
    proc = subprocess.run([sys.executable, "-m", "newsnlp", "parse", str(scan), "--ocr"],
                          capture_output=True, text=True, env=env)
    assert proc.returncode == 1
    assert "apt-get install tesseract-ocr tesseract-ocr-chi-sim" in proc.stderr
    assert len(proc.stderr.strip().splitlines()) == 1


needs_tesseract = pytest.mark.skipif(
    not shutil.which("tesseract")
    or "chi_sim" not in subprocess.run(["tesseract", "--list-langs"], capture_output=True, text=True).stdout,
    reason="Tesseract with chi_sim is not installed (.ci/run installs it)")


@needs_tesseract
def test_a_page_scan_through_real_tesseract(tmp_path):
    pytest.importorskip("reportlab")
    pytest.importorskip("PIL")
    import pypdfium2 as pdfium
    from rapidfuzz.distance import Levenshtein

    sys.path.insert(0, str(Path(__file__).parent))
    from test_pdf import front_page, make_pdf

    pdf = make_pdf(tmp_path / "page.pdf", front_page)
    scan = tmp_path / "scan.png"
    doc = pdfium.PdfDocument(str(pdf))
    doc[0].render(scale=300 / 72).to_pil().save(scan)
    doc.close()
    result = CliRunner().invoke(cli, ["parse", str(scan), "--ocr"])
    assert result.exit_code == 0, result.output
    [page] = [json.loads(line) for line in result.output.splitlines()]
    titles = ["".join(a["headline"]) for a in page["articles"]]
    # OCR misreads a character here and there; the structure is what is tested
    assert any(Levenshtein.normalized_distance(t, "老师们走进千家万户") <= 0.25 for t in titles), titles
    assert len(titles) == 2 and Levenshtein.normalized_distance(titles[1], "茶园春忙") <= 0.5, titles
    first = page["articles"][0]
    assert first["bbox"][0] < first["bbox"][2] <= page["width"]
    assert len([b for b in first["body"] if b["kind"] == "p"]) >= 3
