"""OpenSearch as the archive's engine, against a real node: the same results as Whoosh,
idempotent re-ingest, clear errors (issue #19).  The node fixture is in conftest.py."""
from __future__ import annotations

import json
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from whoosh import query as Q

from newsnlp.errors import ArchiveError
from newsnlp.index import Archive, WhooshArchive
from newsnlp.index.engine import EngineSettings, choose_engine, read_settings, write_settings
from newsnlp.index.opensearch import OpenSearchArchive, filter_dsl, to_dsl
from newsnlp.index.schema import build_schema
from newsnlp.index.search import parse_query
from newsnlp.model import Article, Block, Entity, Official, Page, QuotedTerm, Topic

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "corpus" / "sample-page-2022-10-12.txt"


def _article(aid, headline, *paragraphs, **facts) -> Article:
    return Article(id=aid, headline=[headline], body=[Block("p", p) for p in paragraphs], **facts)


def _pages() -> list[Page]:
    """Made-up pages: traditional and full-width text, phrases, facets over several values, dates."""
    return [
        Page(source="/p/x-2001-03-04.txt", paper="江城晚报", page="1", publication_date="2001-03-04", articles=[
            _article("x1", "湖畔新建三座公园", "市园林局宣布，湖畔将新建三座公园，预计明年开放。",
                     "园林局局长周明远说，公园建设资金已经落实。",
                     entities=[Entity("周明远", "person", 0, 3), Entity("市园林局", "org", 0, 4)],
                     officials=[Official("周明远", "局长", "园林局", "...")], topics=[Topic("城建", 0.9)]),
            _article("x2", "公園門票調整", "園林局決定調整公園門票價格，ＡＰＰ購票可享優惠。",
                     topics=[Topic("城建", 0.7)], entities=[Entity("園林局", "org", 0, 3)]),
        ]),
        Page(source="/p/y-2001-11-20.txt", paper="山海日报", page="4", publication_date="2001-11-20", articles=[
            _article("y1", "渔港码头完成改造", "渔港码头改造工程完成，渔民出海更加方便。公园旁的渔港也已开放。",
                     entities=[Entity("渔港", "place", 0, 2), Entity("吴晓燕", "person", 0, 3)],
                     topics=[Topic("经济", 0.8)], reporters=["吴晓燕"], quoted_terms=[QuotedTerm("渔港经济区", 1)]),
            _article("y2", "秋季运动会开幕", "全市秋季运动会开幕，三千名运动员参加比赛。",
                     topics=[Topic("体育", 0.9)], entities=[Entity("周明远", "person", 0, 3)]),
        ]),
        Page(source="/p/z-undated.txt", paper="江城晚报", page="2", publication_date=None, articles=[
            _article("z1", "读者来信：公园需要更多座椅", "一位读者来信说，湖畔公园座椅太少。",
                     topics=[Topic("城建", 0.6)]),
        ]),
    ]


QUERIES = [
    ("公园", {}), ('"三座公园"', {}), ("公园 AND 园林局", {}), ("公园 OR 运动会", {}), ("公园 NOT 门票", {}),
    ("公園", {}), ("app", {}), ("headline:公园", {}), ("person:周明远", {}), ("org:园林局", {}),
    ("term:渔港经济区", {}), ("reporter:吴晓燕", {}), ("园座", {}), ('"渔港码头"', {}), ("", {}),
    ("", {"date_from": "2001-03", "date_to": "2001-03"}), ("公园", {"date_from": "2001"}),
    ("公园", {"topic": "城建"}), ("", {"paper": "江城晚报", "topic": ["城建", "体育"]}),
    ("", {"person": "周明远"}), ("郑州", {}), ("医保", {}), ("城乡居民", {}), ('"城乡居民医保"', {}),
    ("文明 OR 比赛", {"date_from": "2022-10-01", "date_to": "2022-10-31"}),
]
FACETS = ["topic", "person", "place", "org", "official", "reporter", "paper", "year"]


@pytest.fixture(scope="module")
def pages() -> list[Page]:
    from newsnlp import pipeline

    return [*_pages(), pipeline.parse_file(SAMPLE)]


@pytest.fixture(scope="module")
def both(tmp_path_factory, pages, opensearch_url):
    """The same pages in a Whoosh archive and an OpenSearch archive."""
    base = tmp_path_factory.mktemp("engines")
    whoosh = Archive(base / "whoosh")
    whoosh.add_pages(pages)
    settings = EngineSettings("opensearch", [opensearch_url], f"newsnlp-test-{uuid.uuid4().hex[:8]}")
    write_settings(base / "os", settings)
    opensearch = Archive(base / "os")
    opensearch.add_pages(pages)
    yield whoosh, opensearch
    opensearch.cluster.call("indices.delete", index=f"{settings.opensearch_index}-*")


def test_archive_opens_the_engine_its_settings_record(both):
    whoosh, opensearch = both
    assert isinstance(whoosh, WhooshArchive) and isinstance(opensearch, OpenSearchArchive)
    assert isinstance(Archive(opensearch.path), OpenSearchArchive)


@pytest.mark.parametrize("query,filters", QUERIES)
def test_same_totals_facets_hits_and_snippets_as_whoosh(both, query, filters):
    whoosh, opensearch = both
    a = whoosh.search(query, limit=50, facets=FACETS, **filters)
    b = opensearch.search(query, limit=50, facets=FACETS, **filters)
    assert a.total == b.total
    assert {h.id for h in a.hits} == {h.id for h in b.hits}
    assert [f for f in FACETS if a.facets[f] != b.facets[f]] == []
    snippets_a = {h.id: (h.headline, h.publication_date, h.paper, h.page, h.snippet, h.highlights, h.topics)
                  for h in a.hits}
    snippets_b = {h.id: (h.headline, h.publication_date, h.paper, h.page, h.snippet, h.highlights, h.topics)
                  for h in b.hits}
    assert snippets_a == snippets_b


def test_date_sort_same_order_within_pages(both):
    whoosh, opensearch = both
    a = [h.id for h in whoosh.search("", sort="date", limit=50).hits]
    b = [h.id for h in opensearch.search("", sort="date", limit=50).hits]
    assert a[:1] == b[:1] == ["z1"]  # undated first, as Whoosh sorts newest first
    assert a == b


def test_relevance_puts_the_same_article_first_for_a_distinctive_query(both):
    whoosh, opensearch = both
    for query in ("渔港码头", '"秋季运动会"', "门票"):
        assert whoosh.search(query).hits[0].id == opensearch.search(query).hits[0].id


def test_get_stats_export_and_matching_ids_agree(both):
    whoosh, opensearch = both
    assert whoosh.stats().to_dict() == opensearch.stats().to_dict()
    for article_id in ("x1", "y1", "z1"):
        assert whoosh.get(article_id) == opensearch.get(article_id)
    assert sorted(whoosh.iter_matching_ids("公园")) == sorted(opensearch.iter_matching_ids("公园"))
    dated = list(opensearch.iter_matching_ids("", sort="date"))
    assert dated[0] == "z1" and dated.index("x1") < dated.index("y1")
    assert sorted(whoosh.month_counts("公园", {}).items()) == sorted(opensearch.month_counts("公园", {}).items())
    similar = {s["id"] for s in opensearch.similar("x1", "湖畔新建三座公园")}
    assert similar and "x1" not in similar and similar <= set(opensearch.iter_matching_ids(""))
    with pytest.raises(ArchiveError, match="no article"):
        opensearch.get("nope")


def test_query_errors_are_the_same_on_both_engines(both):
    from newsnlp.index import QueryError

    for engine in both:
        with pytest.raises(QueryError, match="unbalanced"):
            engine.search('"公园')
        with pytest.raises(QueryError, match="unknown facet"):
            engine.search("公园", facets=["colour"])


def test_reingest_replaces_and_deletes_articles_that_left_the_page(tmp_path, opensearch_url):
    archive = tmp_path / "a"
    write_settings(archive, EngineSettings("opensearch", [opensearch_url], f"newsnlp-test-{uuid.uuid4().hex[:8]}"))
    ar = Archive(archive)
    try:
        pages = _pages()
        ar.add_pages(pages)
        ar.add_pages(pages)  # same ids: replaced, not doubled
        assert ar.search("").total == 5
        shorter = pages[0]
        shorter.articles = shorter.articles[:1]
        ar.add_pages([shorter])
        assert sorted(ar.iter_matching_ids("")) == ["x1", "y1", "y2", "z1"]
        assert ar.search("公園").total == 3  # x2 (the traditional-script one) is gone
    finally:
        ar.cluster.call("indices.delete", index=f"{ar.settings.opensearch_index}-*")


def test_cli_ingest_records_the_engine_and_every_command_uses_it(tmp_path, opensearch_url):
    archive = tmp_path / "archive"
    name = f"newsnlp-test-{uuid.uuid4().hex[:8]}"
    cli = [sys.executable, "-m", "newsnlp"]
    run = subprocess.run([*cli, "ingest", str(SAMPLE), "--archive", str(archive), "-j", "1", "--engine", "opensearch",
                          "--opensearch-url", opensearch_url, "--opensearch-index", name],
                         capture_output=True, text=True)
    try:
        assert run.returncode == 0, run.stderr
        assert read_settings(archive).engine == "opensearch"
        assert not (archive / "index").exists()  # no Whoosh index beside it
        out = subprocess.run([*cli, "search", "医保", "--archive", str(archive), "--json"], capture_output=True, text=True)
        assert json.loads(out.stdout)["total"] >= 1
        hit = json.loads(out.stdout)["hits"][0]
        assert "<mark>医保</mark>" in hit["snippet"]
        shown = subprocess.run([*cli, "show", hit["id"], "--archive", str(archive), "--json"], capture_output=True, text=True)
        assert json.loads(shown.stdout)["id"] == hit["id"]
        stats = subprocess.run([*cli, "stats", "--archive", str(archive), "--json"], capture_output=True, text=True)
        assert json.loads(stats.stdout)["articles"] == 7
        # another engine for the same archive is refused
        again = subprocess.run([*cli, "ingest", str(SAMPLE), "--archive", str(archive), "--engine", "whoosh"],
                               capture_output=True, text=True)
        assert again.returncode == 1 and "uses the opensearch engine" in again.stderr
    finally:
        Archive(archive).cluster.call("indices.delete", index=f"{name}-*")


def test_unreachable_cluster_is_one_line_and_nothing_is_recorded(tmp_path):
    archive = tmp_path / "archive"
    run = subprocess.run([sys.executable, "-m", "newsnlp", "ingest", str(SAMPLE), "--archive", str(archive),
                          "--engine", "opensearch", "--opensearch-url", "http://127.0.0.1:9"],
                         capture_output=True, text=True, timeout=120)
    assert run.returncode == 1
    assert run.stderr.strip().count("\n") == 0 and "unreachable" in run.stderr and "Traceback" not in run.stderr
    assert not (archive / "settings.json").exists() and not list(archive.glob("pages/*.json"))


def test_index_of_an_older_mapping_is_refused_until_reindexed(tmp_path, opensearch_url, pages):
    from newsnlp.ingest import reindex

    archive = tmp_path / "archive"
    name = f"newsnlp-test-{uuid.uuid4().hex[:8]}"
    settings = EngineSettings("opensearch", [opensearch_url], name)
    write_settings(archive, settings)
    ar = Archive(archive)
    try:
        ar.add_pages(pages[:3])
        old = ar.cluster.index_name()
        ar.cluster.call("indices.put_mapping", index=old, body={"_meta": {"newsnlp_mapping": 0}})
        with pytest.raises(ArchiveError, match="mapping version 0.*newsnlp reindex"):
            Archive(archive).search("公园")
        report = reindex(archive)
        assert report.articles == 5
        fresh = Archive(archive)
        assert fresh.cluster.index_name() != old and fresh.search("公园").total == 4
        assert not fresh.cluster.call("indices.exists", index=old)
    finally:
        ar.cluster.call("indices.delete", index=f"{name}-*")


# ---------------------------------------------------------------- without a node

def test_query_translation_follows_the_parse_tree():
    schema = build_schema()
    dsl = to_dsl(parse_query('"三座公园" AND NOT 门票', schema))
    text = json.dumps(dsl, ensure_ascii=False)
    assert '"match_phrase"' in text and '"must_not"' in text and "三座 公园" in text
    word = to_dsl(parse_query("公园", schema))
    fields = {next(iter(c[k])) for c in word["bool"]["should"] for k in c}
    assert fields == {"headline", "body", "headline_bi", "body_bi"}
    assert to_dsl(Q.Every()) == {"match_all": {}}
    clauses = filter_dsl({"date_from": "2001-03", "date_to": None, "topic": ["城建", "体育"]})
    assert {"range": {"publication_date": {"gte": "2001-03-01", "lte": "9999-12-31", "format": "strict_date"}}} in clauses


def test_choose_engine_refuses_mixing_and_needs_a_url(tmp_path, monkeypatch):
    monkeypatch.delenv("NEWSNLP_OPENSEARCH_URL", raising=False)
    assert choose_engine(tmp_path / "new").engine == "whoosh"
    with pytest.raises(ArchiveError, match="needs --opensearch-url"):
        choose_engine(tmp_path / "new", "opensearch")
    chosen = choose_engine(tmp_path / "My Archive", url="http://h:9200,http://k:9200/")
    assert chosen.opensearch_urls == ["http://h:9200", "http://k:9200"]
    assert chosen.opensearch_index == "newsnlp-my-archive"
    (tmp_path / "w" / "index").mkdir(parents=True)
    with pytest.raises(ArchiveError, match="uses the whoosh engine"):
        choose_engine(tmp_path / "w", "opensearch", url="http://h:9200")
    monkeypatch.setenv("NEWSNLP_OPENSEARCH_URL", "http://moved:9200")
    write_settings(tmp_path / "o", chosen)
    assert read_settings(tmp_path / "o").opensearch_urls == ["http://moved:9200"]


def test_search_page_and_api_serve_an_opensearch_archive(both):
    pytest.importorskip("flask")
    from newsnlp.web.app import create_app

    whoosh, opensearch = both
    answers = []
    for archive in (whoosh.path, opensearch.path):
        client = create_app(archive, warm=False).test_client()
        api = client.get("/api/search?q=公园&facets=topic,person").get_json()
        months = client.get("/api/months?q=公园").get_json()
        page = client.get("/?q=公园")
        article = client.get("/article/x1")
        assert page.status_code == article.status_code == 200
        assert "<mark>公园</mark>" in page.get_data(as_text=True)
        for hit in api["hits"]:
            hit.pop("score")  # BM25F (Whoosh) and BM25 (OpenSearch) score differently
        answers.append((api["total"], sorted(api["hits"], key=lambda h: h["id"]), api["facets"], months))
    assert answers[0] == answers[1]
