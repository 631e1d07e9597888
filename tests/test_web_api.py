"""`newsnlp serve`: the JSON API, the pages' escaping and the source-file link (Flask test client)."""
from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from newsnlp.cli import cli
from newsnlp.index import Archive
from newsnlp.model import Article, Block, DateMention, Entity, Figure, Official, Page, QuotedTerm, Topic

pytest.importorskip("flask", reason="newsnlp serve needs Flask (pip install 'newsnlp[web]')")
from newsnlp.web import create_app  # noqa: E402

XSS = '<script>alert("x")</script>'


def _at(text: str, surface: str, nth: int = 0) -> tuple[int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(surface, start + 1)
    return start, start + len(surface)


def make_article(aid: str, headline: str, paragraphs: list[str], *, persons=(), places=(), orgs=(),
                 figures=(), dates=(), officials=(), terms=(), topics=(), reporters=()) -> Article:
    """An article with facts placed by hand (offsets found in the text, not extracted)."""
    a = Article(id=aid, headline=[headline], body=[Block("p", t) for t in paragraphs], reporters=list(reporters))
    text = a.text
    for kind, names in (("person", persons), ("place", places), ("org", orgs)):
        a.entities += [Entity(n, kind, *_at(text, n)) for n in names]
    for surface, value, unit in figures:
        a.figures.append(Figure(surface, value, unit, False, None, *_at(text, surface)))
    for surface, value in dates:
        s, e = _at(text, surface)
        a.dates.append(DateMention(surface, value, "day", s, e))
    a.officials = [Official(name, title, org, "") for name, title, org in officials]
    a.quoted_terms = [QuotedTerm(t, text.count(t)) for t in terms]
    a.topics = [Topic(t, 0.9) for t in topics]
    return a


def make_pages(source_dir: Path) -> list[Page]:
    """Three pages of two papers in three months; one article carries markup in its text."""
    source_dir.mkdir(parents=True, exist_ok=True)
    pages = []
    p1 = source_dir / "river-2023-01-05-p1.txt"
    p1.write_text("河州日报 第1版\n河州市召开防汛工作会议\n（原始版面文字）\n", encoding="utf-8")
    pages.append(Page(source=str(p1), paper="河州日报", page="1", publication_date="2023-01-05", articles=[
        make_article(
            "hz-20230105-01-001", "河州市召开防汛工作会议",
            ["1月4日，河州市政府召开防汛工作会议，副市长王建国出席会议并讲话。",
             "会议要求各区县投入资金3.5亿元，完成堤防加固120公里，落实“河长制”责任。"],
            persons=["王建国"], places=["河州市"], orgs=["河州市政府"],
            figures=[("3.5亿元", 350000000.0, "元"), ("120公里", 120.0, "公里")],
            dates=[("1月4日", "2023-01-04")], officials=[("王建国", "副市长", "河州市政府")],
            terms=["河长制"], topics=["水利"], reporters=["李青"]),
        make_article(
            "hz-20230105-01-002", "河州新建三座水库",
            ["河州市水利局介绍，今年将新建三座水库，总库容8000万立方米。", "防汛物资储备同步增加。"],
            places=["河州市"], orgs=["河州市水利局"], figures=[("8000万立方米", 80000000.0, "立方米")],
            topics=["水利"], reporters=["李青"]),
    ]))
    p2 = source_dir / "river-2023-02-10-p2.txt"
    p2.write_text("河州日报 第2版\n", encoding="utf-8")
    pages.append(Page(source=str(p2), paper="河州日报", page="2", publication_date="2023-02-10", articles=[
        make_article(
            "hz-20230210-02-001", "山城中学举办科技节",
            ["山城中学近日举办科技节，学生展示机器人作品200余件。", "校长陈明表示，科技教育将进课堂。"],
            persons=["陈明"], places=["山城"], orgs=["山城中学"], figures=[("200余件", 200.0, "件")],
            officials=[("陈明", "校长", "山城中学")], topics=["教育"], reporters=["周红"]),
        make_article(
            "hz-20230210-02-002", f"读者来信{XSS}",
            [f"有读者寄来一段文字：{XSS}，编辑部照登如下。", "防汛知识问答见下期。"],
            topics=["读者"]),
    ]))
    pages.append(Page(source=str(source_dir / "gone-2023-03-01.txt"), paper="江南晚报", page="A3",
                      publication_date="2023-03-01", articles=[
        make_article(
            "jn-20230301-a3-001", "江南晚报报道防汛演练",
            ["江南区举行防汛演练，出动救援人员500人。"],
            places=["江南区"], figures=[("500人", 500.0, "人")], topics=["水利"], reporters=["赵峰"]),
    ]))
    return pages


def build_archive(root: Path) -> Path:
    """Store and index the pages of :func:`make_pages` under ``root``; returns the archive dir."""
    archive = root / "archive"
    Archive(archive).add_pages(make_pages(root / "sources"))
    return archive


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("web"))


@pytest.fixture(scope="module")
def client(archive_dir):
    app = create_app(archive_dir)
    app.testing = True
    return app.test_client()


def cli_json(archive_dir: Path, *args: str) -> dict:
    result = CliRunner().invoke(cli, [*args, "--archive", str(archive_dir), "--json"])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# ---------------------------------------------------------------- /api/search == newsnlp search --json

@pytest.mark.parametrize("url, argv", [
    ("/api/search?q=防汛", ["search", "防汛"]),
    ("/api/search?q=防汛&facets=topic,paper,year,person&limit=2",
     ["search", "防汛", "--facets", "topic,paper,year,person", "--limit", "2"]),
    ("/api/search?q=防汛&paper=江南晚报&paper=河州日报&sort=date&from=2023-01&to=2023-03",
     ["search", "防汛", "--paper", "江南晚报", "--paper", "河州日报", "--sort", "date", "--from", "2023-01", "--to", "2023-03"]),
    ("/api/search?topic=水利&reporter=李青&facets=org", ["search", "--topic", "水利", "--reporter", "李青", "--facets", "org"]),
    ("/api/search?q=person:王建国", ["search", "person:王建国"]),
])
def test_api_search_matches_cli_json(client, archive_dir, url, argv):
    resp = client.get(url)
    assert resp.status_code == 200
    assert resp.get_json() == cli_json(archive_dir, *argv)


def test_api_search_filters_and_snippet(client):
    data = client.get("/api/search?q=防汛&paper=江南晚报").get_json()
    assert [h["id"] for h in data["hits"]] == ["jn-20230301-a3-001"]
    assert "<mark>防汛</mark>" in data["hits"][0]["snippet"]


@pytest.mark.parametrize("url, fragment", [
    ("/api/search?q=" + "防" * 501, "limit is 500"),
    ("/api/search?q=%22unbalanced", "unbalanced quote"),
    ("/api/search?q=nosuchfield:x", "unknown field"),
    ("/api/search?from=2023-13", "not a valid date"),
    ("/api/search?from=2023-03&to=2023-01", "after"),
    ("/api/search?limit=-1", "limit"),
    ("/api/search?limit=abc", "whole number"),
    ("/api/search?sort=random", "sort"),
    ("/api/search?facets=colour", "unknown facet"),
    ("/api/facets?facets=topic&facet_limit=100000", "facet_limit"),
])
def test_api_rejects_bad_arguments_with_400(client, url, fragment):
    resp = client.get(url)
    assert resp.status_code == 400
    assert fragment in resp.get_json()["error"]


def test_long_query_page_is_400_and_shows_the_form(client):
    resp = client.get("/?q=" + "a" * 600)
    assert resp.status_code == 400
    assert b"limit is 500" in resp.data and b'id="q"' in resp.data


def test_api_facets(client):
    data = client.get("/api/facets").get_json()
    assert data["total"] == 5
    assert {"value": "水利", "count": 3} in data["facets"]["topic"]
    assert set(data["facets"]) == {"topic", "year", "person", "place", "org", "reporter", "paper"}
    narrowed = client.get("/api/facets?q=防汛&facets=paper").get_json()
    assert narrowed["facets"] == {"paper": [{"value": "河州日报", "count": 3}, {"value": "江南晚报", "count": 1}]}


def test_api_article_matches_show_json_and_lists_similar(client, archive_dir):
    data = client.get("/api/article/hz-20230105-01-001").get_json()
    similar = data.pop("similar")
    assert data == cli_json(archive_dir, "show", "hz-20230105-01-001")
    assert data["officials"][0]["title"] == "副市长"
    assert "hz-20230105-01-001" not in [s["id"] for s in similar]
    assert similar and similar[0]["id"] in {"hz-20230105-01-002", "jn-20230301-a3-001"}


def test_api_unknown_article_is_404_json(client):
    resp = client.get("/api/article/no-such-id")
    assert resp.status_code == 404
    assert "no-such-id" in resp.get_json()["error"]


def test_api_months(client):
    data = client.get("/api/months?q=防汛").get_json()
    assert data["months"] == [["2023-01", 2], ["2023-02", 1], ["2023-03", 1]]
    narrowed = client.get("/api/months?q=防汛&from=2023-01-06&to=2023-03-01&paper=河州日报").get_json()
    assert narrowed["months"] == [["2023-02", 1]]
    assert client.get("/api/months?from=2023-02-11&to=2023-02-28").get_json()["months"] == []


# ---------------------------------------------------------------- pages

def test_search_page_lists_hits_facets_chart_and_pagination_links(client):
    html = client.get("/?q=防汛").get_data(as_text=True)
    assert 'id="total">4<' in html
    assert html.count('class="hit"') == 4
    assert 'data-facet="topic"' in html and 'data-value="水利"' in html
    assert re.search(r'<rect [^>]*data-key="2023-02" data-count="1"', html)
    assert "<mark>防汛</mark>" in html
    facet_link = re.search(r'<a href="\?([^"]+)" data-value="江南晚报"', html).group(1)
    narrowed = client.get("/?" + facet_link.replace("&amp;", "&")).get_data(as_text=True)
    assert 'id="total">1<' in narrowed and "江南晚报报道防汛演练" in narrowed


def test_results_are_sent_before_facets_and_chart_are_counted(client):
    resp = client.get("/?q=防汛", buffered=False)
    chunks = [c.decode("utf-8") if isinstance(c, bytes) else c for c in resp.response]
    first, rest = chunks[0], "".join(chunks[1:])
    assert 'class="hit"' in first and 'data-facet=' not in first and 'id="chart"' not in first
    assert 'data-facet="topic"' in rest and 'id="chart"' in rest


def test_filtered_facet_lists_other_values_to_add(client):
    html = client.get("/?paper=江南晚报").get_data(as_text=True)
    paper_facet = html[html.index('data-facet="paper"'):html.index('data-facet="paper"') + 800]
    assert 'data-value="河州日报"' in paper_facet  # counted without the paper filter itself


def test_script_in_article_renders_as_text(client):
    search = client.get("/?q=读者来信").get_data(as_text=True)
    article = client.get("/article/hz-20230210-02-002").get_data(as_text=True)
    for html in (search, article):
        assert "<script>alert" not in html
        assert "&lt;script&gt;alert(" in html
    api = client.get("/api/search?q=读者来信").get_json()
    assert "<script>" not in api["hits"][0]["snippet"]  # the snippet is HTML, escaped


def test_pages_send_a_strict_content_security_policy(client):
    resp = client.get("/")
    assert "script-src 'self'" in resp.headers["Content-Security-Policy"]
    assert resp.headers["X-Content-Type-Options"] == "nosniff"
    assert not re.search(r'(src|href)="(https?:)?//', resp.get_data(as_text=True))  # nothing from the network


def test_article_page_marks_facts_and_tables(client):
    html = client.get("/article/hz-20230105-01-001").get_data(as_text=True)
    for kind, surface in (("official", "王建国"), ("org", "河州市政府"), ("figure", "3.5亿元"),
                          ("figure", "120公里"), ("date", "1月4日")):
        assert re.search(rf'<span class="mark mark-{kind}"[^>]*>{re.escape(surface)}</span>', html), (kind, surface)
    assert 'id="facts-officials"' in html and "<td>副市长</td>" in html
    assert 'id="facts-quoted_terms"' in html and "<td>河长制</td>" in html
    assert 'id="similar"' in html


def test_bad_offsets_are_not_marked():
    from newsnlp.web.render import marked_blocks

    a = make_article("x", "h", ["甲乙丙丁", "戊己"], places=["丙丁"])
    a.entities.append(Entity("不对", "person", 0, 2))  # offsets that do not match the text
    a.entities.append(Entity("戊己", "org", 5, 7))
    blocks = [str(html) for _, html in marked_blocks(a)]
    assert blocks == ['甲乙<span class="mark mark-place" data-kind="place" title="place">丙丁</span>',
                      '<span class="mark mark-org" data-kind="org" title="org">戊己</span>']


def test_unknown_article_page_is_404(client):
    assert client.get("/article/nope").status_code == 404


# ---------------------------------------------------------------- source files and traversal

def test_source_link_serves_the_stored_file_as_plain_text(client):
    resp = client.get("/article/hz-20230105-01-001/source")
    assert resp.status_code == 200
    assert resp.mimetype == "text/plain"
    assert "河州市召开防汛工作会议" in resp.get_data(as_text=True)


def test_source_link_is_404_when_the_file_is_gone(client):
    assert client.get("/article/jn-20230301-a3-001/source").status_code == 404
    assert 'id="source-link"' not in client.get("/article/jn-20230301-a3-001").get_data(as_text=True)


@pytest.mark.parametrize("path", [
    "/article/../../etc/passwd/source",
    "/article/%2e%2e%2f%2e%2e%2fetc%2fpasswd/source",
    "/article/..%2F..%2Fetc%2Fpasswd/source",
    "/static/../app.py",
    "/static/%2e%2e/app.py",
    "/static/..%2fapp.py",
    "/export.csv/../../etc/passwd",
])
def test_no_path_traversal(client, path):
    resp = client.get(path)
    assert resp.status_code in (400, 404)
    body = resp.get_data(as_text=True)
    assert "root:" not in body and "create_app" not in body


def test_read_only(client):
    assert client.post("/api/search?q=x").status_code == 405
    assert client.delete("/article/hz-20230105-01-001").status_code == 405


# ---------------------------------------------------------------- exports

def test_export_csv_and_jsonl_of_the_result_set(client):
    resp = client.get("/export.csv?q=防汛&paper=河州日报")
    assert resp.status_code == 200 and resp.mimetype == "text/csv"
    text = resp.get_data(as_text=True)
    assert text.startswith("\ufeff")  # for spreadsheet programs
    header, *rows = csv.reader(io.StringIO(text[1:]))
    assert header[:7] == ["article_id", "paper", "publication_date", "page", "section", "headline", "source"]
    assert sorted(r[0] for r in rows) == ["hz-20230105-01-001", "hz-20230105-01-002", "hz-20230210-02-002"]
    rows = [json.loads(x) for x in client.get("/export.jsonl?q=防汛&what=figures").get_data(as_text=True).splitlines()]
    assert {r["text"] for r in rows} == {"3.5亿元", "120公里", "8000万立方米", "500人"}
    assert client.get("/export.jsonl?what=nonsense").status_code == 400
    assert client.get("/export.xml").status_code == 404


def test_missing_archive_is_a_one_line_cli_error(tmp_path):
    result = CliRunner().invoke(cli, ["serve", "--archive", str(tmp_path / "none")])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no search index")
