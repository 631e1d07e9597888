"""Reading input (encodings, HTML, bad files) and the parse/ingest commands."""
import json

import pytest
from click.testing import CliRunner

from newsnlp.cli import cli
from newsnlp.errors import InputError
from newsnlp.pipeline import date_from_filename
from newsnlp.read import read_document

TEXT = "全市召开经济工作会议\n\n本报讯 （记者 张明） 12月20日，全市经济工作会议召开，会议\n总结今年工作，部署明年任务。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "gb18030", "gbk", "big5"])
def test_encodings_detected(tmp_path, encoding):
    text = TEXT if encoding != "big5" else "全市召開經濟工作會議\n\n本報訊 （記者 張明） 12月20日，全市經濟工作會議召開，會議\n總結今年工作，部署明年任務。\n"
    path = tmp_path / "page.txt"
    path.write_bytes(text.encode(encoding))
    assert read_document(path).text == text


@pytest.mark.parametrize("data,message", [
    (b"", "empty file"),
    (b"   \n\n", "empty file"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 4, "binary file"),
])
def test_bad_input_raises_one_line_error(tmp_path, data, message):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    with pytest.raises(InputError, match=message):
        read_document(path)


def test_html_page(tmp_path):
    html = """<html><head><title>站点</title></head><body><nav>首页</nav><article>
    <h1>全市召开经济工作会议</h1><div class="author">记者 张明</div>
    <p>本报讯　12月20日，全市经济工作会议召开。</p><p>会议部署明年任务。</p></article></body></html>"""
    path = tmp_path / "2023-01-05.html"
    path.write_text(html, encoding="utf-8")
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code == 0, result.output
    page = json.loads(result.output)
    (article,) = page["articles"]
    assert article["headline"] == ["全市召开经济工作会议"]
    assert article["reporters"] == ["张明"]
    assert article["dateline"] == "本报讯"
    assert [b["text"] for b in article["body"]] == ["12月20日，全市经济工作会议召开。", "会议部署明年任务。"]
    assert page["publication_date"] == "2023-01-05"


def test_publication_date_from_file_name():
    assert date_from_filename("rmrb-2022-10-12-p3.txt") == "2022-10-12"
    assert date_from_filename("20221012_03.txt") == "2022-10-12"
    assert date_from_filename("page3.txt") is None


def test_parse_prints_page_json(sample_page_path):
    result = CliRunner().invoke(cli, ["parse", str(sample_page_path), "--paper", "某日报", "--page", "3"])
    assert result.exit_code == 0
    page = json.loads(result.output)
    assert page["publication_date"] == "2022-10-12" and page["paper"] == "某日报" and page["page"] == "3"
    assert len(page["articles"]) == 7
    assert all(set(a) >= {"id", "headline", "body", "reporters", "captions", "text"} for a in page["articles"])


@pytest.mark.parametrize("data", [b"", b"\x00\x01\x02\x03binary" * 50])
def test_parse_bad_file_exits_nonzero_with_one_line(tmp_path, data):
    path = tmp_path / "bad.txt"
    path.write_bytes(data)
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code != 0
    assert result.output.strip().count("\n") == 0 and "bad.txt" in result.output
    assert "Traceback" not in result.output


def test_parse_missing_file_and_bad_date(tmp_path):
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / "nope.txt")])
    assert result.exit_code != 0 and "no such file" in result.output
    result = CliRunner().invoke(cli, ["parse", str(tmp_path / "nope.txt"), "--date", "2022-13-01"])
    assert result.exit_code != 0 and "not a date" in result.output


def test_ingest_batch_goes_on_after_failures_and_replaces_on_reingest(tmp_path):
    folder = tmp_path / "pages"
    (folder / "sub").mkdir(parents=True)
    (folder / "2023-01-05.txt").write_text(TEXT, encoding="utf-8")
    (folder / "sub" / "2023-01-06.txt").write_bytes(TEXT.encode("gb18030"))
    (folder / "broken.txt").write_bytes(b"")
    archive = tmp_path / "archive"
    runner = CliRunner()
    result = runner.invoke(cli, ["ingest", str(folder), "--archive", str(archive)])
    assert result.exit_code == 1
    assert "broken.txt: empty file" in result.output
    assert "pages" in result.output and "failures" in result.output
    stored = sorted((archive / "pages").glob("*.json"))
    assert len(stored) == 2
    runner.invoke(cli, ["ingest", str(folder), "--archive", str(archive)])
    assert sorted((archive / "pages").glob("*.json")) == stored
    page = json.loads(stored[0].read_text(encoding="utf-8"))
    assert page["articles"][0]["headline"] == ["全市召开经济工作会议"]


def test_undecodable_bytes_are_refused(tmp_path):
    path = tmp_path / "garbage.txt"
    path.write_bytes(b"\xff\xfe\xfd" * 50)
    result = CliRunner().invoke(cli, ["parse", str(path)])
    assert result.exit_code != 0
    assert "garbage.txt: cannot decode" in result.output and "Traceback" not in result.output
