"""The all-in-one API (newsnlp.extract.analyze / annotate_article) and `newsnlp extract`."""
from __future__ import annotations

import json

from click.testing import CliRunner

from newsnlp import extract
from newsnlp.cli import cli
from newsnlp.model import Article, Block

LINES = [
    "10月11日，市财政局局长张建国表示，今年已拨付资金6.4亿元，全力推进“双减”工作。",
    "北京市海淀区教委组织“县管校聘”培训，副区长李红梅出席。",
]


def _spans(record: dict) -> list[tuple[str, int, int]]:
    """(text, start, end) of every fact of one output line that carries offsets."""
    out = [(e["text"], e["start"], e["end"]) for e in record["entities"]]
    out += [(f["text"], f["start"], f["end"]) for f in record["figures"]]
    out += [(d["text"], d["start"], d["end_offset"]) for d in record["dates"]]
    return out


def test_extract_command_writes_one_json_line_per_input_line(tmp_path):
    path = tmp_path / "docs.txt"
    path.write_text("\n".join([LINES[0], "", LINES[1]]) + "\n", encoding="utf-8")
    result = CliRunner().invoke(cli, ["extract", str(path), "--date", "2022-10-12"])
    assert result.exit_code == 0, result.output
    records = [json.loads(x) for x in result.output.splitlines()]
    assert len(records) == 3
    assert all(set(r) == set(extract.FIELDS) for r in records)
    assert all(v == [] for v in records[1].values())  # blank line -> empty result, same position
    for line, record in zip([LINES[0], LINES[1]], [records[0], records[2]]):
        assert _spans(record), "no facts with offsets found"
        for text, start, end in _spans(record):
            assert line[start:end] == text
    assert "张建国" in {e["text"] for e in records[0]["entities"]}
    assert [t["term"] for t in records[0]["quoted_terms"]] == ["双减"]
    assert [t["term"] for t in records[2]["quoted_terms"]] == ["县管校聘"]


def test_extract_command_reads_stdin():
    result = CliRunner().invoke(cli, ["extract"], input=LINES[1] + "\n")
    assert result.exit_code == 0, result.output
    (record,) = [json.loads(x) for x in result.output.splitlines()]
    assert record["quoted_terms"] == [{"term": "县管校聘", "count": 1}]


def test_extract_command_rejects_binary_input(tmp_path):
    path = tmp_path / "scan.png"
    path.write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00")
    result = CliRunner().invoke(cli, ["extract", str(path)])
    assert result.exit_code != 0
    assert result.output.startswith("Error:") and len(result.output.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_extract_command_user_dictionary(tmp_path):
    userdict = tmp_path / "terms.txt"
    userdict.write_text("清朗网络 nz\n", encoding="utf-8")
    args = ["extract", "-", "--userdict", str(userdict)]
    result = CliRunner().invoke(cli, args, input="开展“清朗网络”专项整治。\n")
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["quoted_terms"] == [{"term": "清朗网络", "count": 1}]


def test_annotate_article_sets_the_five_fields():
    article = Article(id="a1", headline=["标题"], body=[Block("p", LINES[0]), Block("p", LINES[1])])
    extract.annotate_article(article, publication_date="2022-10-12")
    assert [t.term for t in article.quoted_terms] == ["双减", "县管校聘"]
    for entity in article.entities:
        assert article.text[entity.start:entity.end] == entity.text
    facts = extract.analyze(article.text, publication_date="2022-10-12")
    assert facts.entities == article.entities and facts.figures == article.figures


def test_analyze_empty_text():
    assert extract.analyze("   ") == extract.Facts()
