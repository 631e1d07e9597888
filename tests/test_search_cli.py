"""`newsnlp search`, `show`, `stats` and `ingest --jobs` through the CLI."""
from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from newsnlp.cli import cli
from newsnlp.index import Archive
from newsnlp.model import Article, Block, Entity, Page, Topic


@pytest.fixture
def archive_dir(tmp_path):
    pages = [
        Page(source="/p/1.txt", paper="人民日报", page="1", publication_date="1998-01-01", articles=[
            Article(id="n1", headline=["新年讲话发表"], body=[Block("p", "国家主席江泽民发表新年讲话，向全国各族人民问候。")],
                    entities=[Entity("江泽民", "person", 4, 7)], topics=[Topic("政治", 0.9)]),
            Article(id="n2", headline=["经济形势分析"], body=[Block("p", "今年经济发展平稳，物价稳定。")],
                    topics=[Topic("经济", 0.8)]),
        ]),
        Page(source="/p/2.txt", paper="经济日报", page="4", publication_date="1999-03-02", articles=[
            Article(id="n3", headline=["经济工作会议"], body=[Block("p", "会议部署明年经济工作。")], topics=[Topic("经济", 0.7)]),
        ]),
    ]
    Archive(tmp_path / "ar").add_pages(pages)
    return tmp_path / "ar"


def run(*args):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def test_search_plain_output(archive_dir):
    result = run("search", '"新年讲话"', "--archive", str(archive_dir))
    assert result.exit_code == 0
    assert "1 article" in result.output
    assert "1998-01-01  人民日报 p.1  新年讲话发表" in result.output
    assert "[新年讲话]" in result.output and "\x1b[" not in result.output  # no colour off a TTY


def test_search_json_filters_and_facets(archive_dir):
    result = run("search", "经济", "--archive", str(archive_dir), "--json", "--from", "1998", "--to", "1999-03",
                 "--facets", "topic,year", "--sort", "date")
    assert result.exit_code == 0
    data = json.loads(result.output)
    assert data["total"] == 2
    assert [h["id"] for h in data["hits"]] == ["n3", "n2"]
    assert set(data["hits"][0]) == {"id", "score", "headline", "publication_date", "paper", "page", "snippet", "topics"}
    assert data["hits"][0]["topics"] == ["经济"] and "<mark>经济</mark>" in data["hits"][0]["snippet"]
    assert data["facets"]["year"] == [{"value": "1998", "count": 1}, {"value": "1999", "count": 1}]
    only_paper = json.loads(run("search", "经济", "--archive", str(archive_dir), "--json", "--paper", "经济日报").output)
    assert [h["id"] for h in only_paper["hits"]] == ["n3"]
    person = json.loads(run("search", "--person", "江泽民", "--archive", str(archive_dir), "--json").output)
    assert [h["id"] for h in person["hits"]] == ["n1"]


@pytest.mark.parametrize("args, message", [
    (["search", '"未闭合'], "unbalanced quote"),
    (["search", "foo:bar"], "unknown field"),
    (["search", "经济", "--facets", "colour"], "unknown facet"),
])
def test_user_mistakes_give_one_error_line(archive_dir, args, message):
    result = CliRunner().invoke(cli, args + ["--archive", str(archive_dir)])
    assert result.exit_code == 1
    assert result.output.startswith("Error: ") and message in result.output
    assert "Traceback" not in result.output and result.output.count("\n") == 1


def test_missing_index_and_bad_date(tmp_path):
    result = CliRunner().invoke(cli, ["search", "x", "--archive", str(tmp_path / "none")])
    assert result.exit_code == 1 and "no search index" in result.output
    result = CliRunner().invoke(cli, ["search", "x", "--from", "1998-1x", "--archive", str(tmp_path)])
    assert result.exit_code != 0 and "not a date" in result.output


def test_show_and_stats(archive_dir):
    shown = run("show", "n1", "--archive", str(archive_dir))
    assert shown.exit_code == 0
    assert "新年讲话发表" in shown.output and "persons: 江泽民" in shown.output and "政治" in shown.output
    as_json = json.loads(run("show", "n1", "--archive", str(archive_dir), "--json").output)
    assert as_json["paper"] == "人民日报" and as_json["entities"][0]["text"] == "江泽民"
    missing = CliRunner().invoke(cli, ["show", "zzz", "--archive", str(archive_dir)])
    assert missing.exit_code == 1 and "no article" in missing.output
    stats = json.loads(run("stats", "--archive", str(archive_dir), "--json").output)
    assert stats["articles"] == 3 and stats["by_topic"] == {"经济": 2, "政治": 1}
    assert stats["by_paper"] == {"人民日报": 2, "经济日报": 1} and stats["top_persons"] == [["江泽民", 1]]
    plain = run("stats", "--archive", str(archive_dir))
    assert "by year:" in plain.output and "1999" in plain.output


def test_ingest_with_jobs_then_search(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    for i in range(3):
        (folder / f"p{i}-2001-05-0{i + 1}.txt").write_text(
            f"第{i}篇标题新闻\n\n全市推进垃圾分类工作取得进展。\n居民参与热情高涨。\n", encoding="utf-8")
    result = run("ingest", str(folder), "--archive", str(tmp_path / "ar"), "--jobs", "2", "--paper", "某报")
    assert result.exit_code == 0, result.output
    data = json.loads(run("search", '"垃圾分类"', "--archive", str(tmp_path / "ar"), "--json").output)
    assert data["total"] == 3 and {h["publication_date"] for h in data["hits"]} == {"2001-05-01", "2001-05-02", "2001-05-03"}
