"""`newsnlp serve` and the officials registry (issue #18): person pages with a tenure timeline
drawn as SVG, organisation pages with the holders of each post, official names in article
pages linked to their person page, and the JSON equivalents (Flask test client).

Every page and name here is made up; the officials are given (not extracted), the
appointment events come from the registry's own parsing of the text.
"""
from __future__ import annotations

import re
from pathlib import Path

import pytest

from newsnlp.index import Archive
from newsnlp.model import Article, Block, Entity, Official, Page

pytest.importorskip("flask", reason="newsnlp serve needs Flask (pip install 'newsnlp[web]')")
from newsnlp.web import create_app  # noqa: E402

XSS = '<b>x</b>'


def article(aid: str, headline: str, text: str, officials=(), places=()) -> Article:
    """One paragraph; officials as (name, title, org), each with the sentence that names it."""
    sentences = [s for s in text.replace("。", "。\n").split("\n") if s]
    offs = [Official(name=n, title=t, org=o, sentence=next((s for s in sentences if n in s), text))
            for n, t, o in officials]
    entities = [Entity(p, "place", text.find(p), text.find(p) + len(p)) for p in places if p in text]
    entities += [Entity(n, "person", text.find(n), text.find(n) + len(n)) for n, _, _ in officials if n in text]
    return Article(id=aid, headline=[headline], body=[Block("p", text)], entities=entities, officials=offs)


def make_pages(source_dir: Path) -> list[Page]:
    """江州: 李明 then 王强 as 市委书记; 张华 副市长, appointed 代市长, then 市长; another 张华 heads
    a school elsewhere."""
    source_dir.mkdir(parents=True, exist_ok=True)
    specs = [
        ("2021-03-02", [article("jz-20210302-01-001", "江州市召开经济工作会议",
                                "江州市委书记李明主持会议。江州市副市长张华出席会议。",
                                [("李明", "书记", "江州市委"), ("张华", "副市长", "江州市政府")], ["江州市"])]),
        ("2021-11-20", [article("jz-20211120-01-001", "李明调研春耕",
                                "江州市委书记李明到乡村调研春耕备耕工作。",
                                [("李明", "书记", "江州市委")], ["江州市"])]),
        ("2022-07-01", [article("jz-20220701-01-001", "江州市人大常委会举行会议",
                                "江州市人大常委会会议决定：任命张华为江州市人民政府代市长。",
                                [], ["江州市"])]),
        ("2023-05-10", [article("jz-20230510-01-001", f"市长张华调研防汛{XSS}",
                                "江州市委书记王强、市长张华检查防汛工作。",
                                [("王强", "书记", "江州市委"), ("张华", "市长", "江州市政府")], ["江州市"])]),
        ("2023-09-01", [article("sx-20230901-02-001", "山城县实验中学开学",
                                "山城县实验中学校长张华说，新学期将开设科学课。",
                                [("张华", "校长", "山城县实验中学")], ["山城县"])]),
    ]
    pages = []
    for date, articles in specs:
        src = source_dir / f"jz-{date}.txt"
        src.write_text(articles[0].headline[0] + "\n", encoding="utf-8")
        pages.append(Page(source=str(src), paper="江州日报", page="1", publication_date=date, articles=articles))
    return pages


def build_archive(root: Path) -> Path:
    archive = root / "archive"
    Archive(archive).add_pages(make_pages(root / "sources"))
    return archive


@pytest.fixture(scope="module")
def archive_dir(tmp_path_factory) -> Path:
    return build_archive(tmp_path_factory.mktemp("web-registry"))


@pytest.fixture(scope="module")
def client(archive_dir):
    app = create_app(archive_dir, warm=False)
    app.testing = True
    return app.test_client()


def person_id(client, name: str, org: str) -> str:
    """The id of the person of ``name`` holding a post in ``org`` (from the org API)."""
    posts = client.get(f"/api/org/{org}").json["posts"]
    return next(h["id"] for p in posts for h in p["holders"] if h["name"] == name)


def bars(html: str) -> list[tuple[str, str]]:
    """(link, rect attributes) of each bar of the page's timelines."""
    return re.findall(r'<a href="([^"]+)" class="bar-link"><rect ([^>]*class="bar[^>]*)>', html)


# ---------------------------------------------------------------- person page

def test_person_page_shows_posts_as_svg_bars_linked_to_articles(client, archive_dir):
    from newsnlp.registry import open_registry

    pid = person_id(client, "张华", "江州市政府")
    with open_registry(archive_dir) as reg:
        person = reg.people(ids=[pid])[0]
    titles = [p["title"] for p in person["posts"]]
    assert titles == ["副市长", "代市长", "市长"]  # in date order

    resp = client.get(f"/person/{pid}")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert '<h1 id="person-name">张华</h1>' in html
    svg = html[html.index('<svg class="timeline"'):html.index("</svg>")]
    found = bars(svg)
    assert len(found) == len(person["posts"]) == 3
    # each bar links to the first article of its post and spans its first and last date
    for (href, attrs), post in zip(found, person["posts"]):
        assert href == f"/article/{post['articles'][0]}"
        assert f'data-first="{post["first_seen"]}"' in attrs and f'data-last="{post["last_seen"]}"' in attrs
    assert 'class="bar acting"' in svg  # 代市长 is drawn as acting
    xs = [float(re.search(r'x="([\d.]+)"', a).group(1)) for _, a in found]
    assert xs == sorted(xs) and xs[0] < xs[-1]  # later posts further right on the date axis
    assert ">2022</text>" in svg and ">2023</text>" in svg  # year ticks
    for label in ("江州市政府副市长", "江州市政府代市长", "江州市政府市长"):
        assert f">{label}</text>" in svg
    # every article of every post is listed; the organisation links to its page
    assert 'href="/article/jz-20230510-01-001"' in html
    assert re.search(r'<a href="/org/[^"]+" class="org-link">江州市政府</a>', html)
    # events with dates and links to their articles
    events = html[html.index('id="events"'):]
    assert re.search(r'<td>2022-07-01</td><td>appoint</td>', events)
    assert 'href="/article/jz-20220701-01-001"' in events
    # the other 张华 (a school head elsewhere) is a different person, listed as a namesake
    assert 'id="namesakes"' in html and "山城县实验中学校长" in html


def test_person_page_with_one_article_post_still_draws_a_bar(client):
    pid = person_id(client, "王强", "江州市委")
    html = client.get(f"/person/{pid}").get_data(as_text=True)
    found = bars(html)
    assert len(found) == 1
    assert found[0][0] == "/article/jz-20230510-01-001"
    assert float(re.search(r'width="([\d.]+)"', found[0][1]).group(1)) >= 4  # a visible bar
    assert "No appointments" in html


def test_api_person_is_the_officials_json_of_that_person(client, archive_dir):
    from newsnlp.registry import open_registry

    pid = person_id(client, "张华", "江州市政府")
    data = client.get(f"/api/person/{pid}").json
    with open_registry(archive_dir) as reg:
        expected = reg.people(ids=[pid])[0]
    assert {k: data[k] for k in ("name", "id", "posts", "events")} == expected
    assert set(data["posts"][0]) == {"title", "org", "place", "first_seen", "last_seen", "mentions", "articles"}
    assert data["events"] == [{"kind": "appoint", "title": "代市长", "org": "江州市政府", "date": "2022-07-01",
                               "article": "jz-20220701-01-001"}]
    assert [n["posts"] for n in data["namesakes"]] == [["山城县实验中学校长"]]


@pytest.mark.parametrize("url", ["/person/p000000000000", "/person/nobody", "/person/" + "p" * 300])
def test_unknown_person_is_the_404_page(client, url):
    resp = client.get(url)
    assert resp.status_code == 404
    html = resp.get_data(as_text=True)
    assert 'id="error"' in html and "<h1>404</h1>" in html


def test_api_unknown_person_is_404_json(client):
    resp = client.get("/api/person/p000000000000")
    assert resp.status_code == 404
    assert resp.json["status"] == 404 and "no person" in resp.json["error"]


# ---------------------------------------------------------------- organisation page

def test_org_page_lists_the_holders_of_each_post_over_time(client):
    resp = client.get("/org/江州市委")
    assert resp.status_code == 200
    html = resp.get_data(as_text=True)
    assert '<h1 id="org-name">江州市委</h1>' in html
    section = html[html.index('data-title="书记"'):]
    # one bar per holder, in date order, each name linked to the person page
    labels = re.findall(r'<a href="(/person/p[0-9a-f]{11})" class="row-label"><text[^>]*>([^<]+)</text>', section)
    assert [name for _, name in labels] == ["李明", "王强"]
    found = bars(section)
    assert [href for href, _ in found] == ["/article/jz-20210302-01-001", "/article/jz-20230510-01-001"]
    assert 'data-first="2021-03-02" data-last="2021-11-20"' in found[0][1]
    # the holders' table lists every article
    assert 'href="/article/jz-20211120-01-001"' in section
    # a person link from the org page reaches that person's page
    assert client.get(labels[0][0]).status_code == 200


def test_org_page_groups_acting_holders_under_their_post(client):
    html = client.get("/org/江州市政府").get_data(as_text=True)
    titles = re.findall(r'<section class="post" data-title="([^"]+)">', html)
    assert titles == ["副市长", "市长"]
    mayor = html[html.index('data-title="市长"'):]
    assert "<td>代市长</td>" in mayor and "<td>市长</td>" in mayor  # 张华 as acting and as mayor


def test_api_org(client):
    data = client.get("/api/org/江州市委").json
    assert data["org"] == "江州市委"
    assert [p["title"] for p in data["posts"]] == ["书记"]
    holders = data["posts"][0]["holders"]
    assert [(h["name"], h["first_seen"], h["last_seen"]) for h in holders] == [
        ("李明", "2021-03-02", "2021-11-20"), ("王强", "2023-05-10", "2023-05-10")]
    assert holders[0]["articles"] == ["jz-20210302-01-001", "jz-20211120-01-001"]


@pytest.mark.parametrize("url", ["/org/不存在的委员会", "/org/" + "委" * 300])
def test_unknown_org_is_404(client, url):
    assert client.get(url).status_code == 404
    assert client.get("/api" + url).status_code == 404


# ---------------------------------------------------------------- article page

def test_article_page_links_officials_to_their_person_page(client):
    pid = person_id(client, "张华", "江州市政府")
    wang = person_id(client, "王强", "江州市委")
    html = client.get("/article/jz-20230510-01-001").get_data(as_text=True)
    body = html[html.index('id="body"'):html.index('id="facts"')]
    for who, name in ((pid, "张华"), (wang, "王强")):
        assert re.search(rf'<a class="person-link" href="/person/{who}"><span class="mark mark-official"[^>]*>'
                         rf"{name}</span></a>", body), name
    table = html[html.index('id="facts-officials"'):]
    assert f'<a class="person-link" href="/person/{pid}">张华</a>' in table
    # the headline's markup is text, on the article page as everywhere
    assert "&lt;b&gt;x&lt;/b&gt;" in html and "<b>x</b>" not in html


def test_namesakes_link_to_the_person_of_their_own_article(client):
    html = client.get("/article/sx-20230901-02-001").get_data(as_text=True)
    other = re.search(r'<a class="person-link" href="/person/(p[0-9a-f]{11})">', html).group(1)
    assert other != person_id(client, "张华", "江州市政府")
    assert "山城县实验中学" in client.get(f"/person/{other}").get_data(as_text=True)


def test_article_page_without_registry_still_renders(tmp_path):
    """A registry that cannot be read costs the links, never the article page."""
    archive = build_archive(tmp_path)
    app = create_app(archive, warm=False)
    app.testing = True
    (archive / "registry.sqlite").mkdir()  # not a file: the registry cannot be opened or rebuilt
    resp = app.test_client().get("/article/jz-20230510-01-001")
    assert resp.status_code == 200
    assert "person-link" not in resp.get_data(as_text=True)


def test_person_and_org_pages_send_the_content_security_policy(client):
    pid = person_id(client, "李明", "江州市委")
    for url in (f"/person/{pid}", "/org/江州市委"):
        resp = client.get(url)
        assert "default-src 'none'" in resp.headers["Content-Security-Policy"]
        html = resp.get_data(as_text=True)
        assert not re.search(r'(?:src|href)="(?:https?:)?//', html)  # nothing from the network
