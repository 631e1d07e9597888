"""The archive index: analysis, search semantics, filters, facets, ingest safety."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from newsnlp.errors import ArchiveError, NewsnlpError
from newsnlp.index import Archive
from newsnlp.index.analysis import BigramAnalyzer, WordAnalyzer, bigram_tokens, normalize, word_tokens
from newsnlp.index.store import IndexWriter, WriterLock
from newsnlp.model import Article, Block, Entity, Official, Page, QuotedTerm, Topic

ROOT = Path(__file__).resolve().parent.parent


def _article(aid, headline, *paragraphs, **facts) -> Article:
    return Article(id=aid, headline=[headline], body=[Block("p", p) for p in paragraphs], **facts)


def _pages() -> list[Page]:
    return [
        Page(source="/papers/a-1998-01-01.txt", paper="人民日报", page="1", publication_date="1998-01-01", articles=[
            _article("a1", "迈向充满希望的新世纪", "中共中央总书记、国家主席江泽民发表１９９８年新年讲话。",
                     "我们向全国各族人民致以诚挚的问候。",
                     entities=[Entity("江泽民", "person", 12, 15), Entity("中共中央", "org", 0, 4)],
                     topics=[Topic("政治", 0.9)]),
            _article("a2", "經濟發展報告發布", "國務院發布經濟發展報告，ＡＢＣ公司參與調研。",
                     topics=[Topic("经济", 0.8)], entities=[Entity("國務院", "org", 0, 3)]),
        ]),
        Page(source="/papers/b-1999-05-03.txt", paper="光明日报", page="2", publication_date="1999-05-03", articles=[
            _article("b1", "国务院召开常务会议", "国务院总理主持会议，讨论经济发展问题。会议在北京举行。",
                     topics=[Topic("经济", 0.7)], entities=[Entity("北京", "place", 22, 24)],
                     officials=[Official("李明", "总理", "国务院", "...")],
                     quoted_terms=[QuotedTerm("放管服", 2)], reporters=["王小二"]),
        ]),
        Page(source="/papers/c-1999-12-30.txt", paper="人民日报", page="3", publication_date="1999-12-30", articles=[
            _article("c1", "北京迎接新千年", "北京市民在天安门广场迎接新千年，经济繁荣。",
                     topics=[Topic("社会", 0.6)], entities=[Entity("北京", "place", 0, 2)]),
        ]),
    ]


@pytest.fixture
def archive(tmp_path) -> Archive:
    ar = Archive(tmp_path / "archive")
    ar.add_pages(_pages())
    return ar


def ids(result) -> set[str]:
    return {h.id for h in result.hits}


# ------------------------------------------------------------------ analysis

def test_word_tokens_have_consecutive_positions():
    tokens = [(t.text, t.pos) for t in WordAnalyzer()("国家主席发表新年讲话，向全国人民问候。", positions=True)]
    assert [pos for _, pos in tokens] == list(range(len(tokens)))
    texts = [text for text, _ in tokens]
    assert "，" not in texts and "。" not in texts and "".join(texts) == "国家主席发表新年讲话向全国人民问候"


def test_bigrams_cover_runs_of_letters_digits_and_cjk():
    assert bigram_tokens("江泽民AB，20年") == ["江泽", "泽民", "民a", "ab", "20", "0年"]
    assert bigram_tokens("党，政") == ["党", "政"]
    tokens = [(t.text, t.pos) for t in BigramAnalyzer()("江泽民讲话", positions=True)]
    assert tokens == [("江泽", 0), ("泽民", 1), ("民讲", 2), ("讲话", 3)]


def test_normalize_width_and_script():
    assert normalize("ＡＢＣ１２３") == "abc123"
    assert normalize("國務院發布經濟報告") == "国务院发布经济报告"
    assert word_tokens("經濟發展") == word_tokens("经济发展")


# ------------------------------------------------------------------ search

def test_phrase_query_returns_hits(archive):
    # regression: jieba's ChineseAnalyzer stores character offsets as positions -> no phrase ever matches
    assert ids(archive.search('"新年讲话"')) == {"a1"}
    assert ids(archive.search('"全国各族人民"')) == {"a1"}
    assert ids(archive.search('"国务院总理主持会议"')) == {"b1"}
    assert archive.search('"讲话新年"').total == 0


def test_phrase_split_differently_by_jieba_still_matches_through_bigrams(archive):
    # "主席江泽" is not a jieba word sequence of the text, but it occurs verbatim
    assert ids(archive.search('"主席江泽"')) == {"a1"}
    assert ids(archive.search("泽民")) == {"a1"}
    assert ids(archive.search('"98年新年"')) == {"a1"}  # starts inside the number １９９８


def test_traditional_query_finds_simplified_text_and_back(archive):
    assert ids(archive.search("國務院總理")) == {"b1"}
    assert "a2" in ids(archive.search("国务院"))


def test_full_width_query_finds_half_width_and_back(archive):
    assert ids(archive.search("１９９８年")) == {"a1"}
    assert ids(archive.search("abc")) == {"a2"} == ids(archive.search("ＡＢＣ"))


def test_boolean_and_field_queries(archive):
    assert ids(archive.search("经济 AND 北京")) == {"b1", "c1"}
    assert ids(archive.search("经济 NOT 北京")) == {"a2"}
    assert ids(archive.search("讲话 OR 千年")) == {"a1", "c1"}
    assert ids(archive.search("headline:北京")) == {"c1"}
    assert ids(archive.search("person:江泽民")) == {"a1"}
    assert ids(archive.search("place:北京")) == {"b1", "c1"}
    assert ids(archive.search("official:李明|总理")) == {"b1"}
    assert ids(archive.search("term:放管服")) == {"b1"}


def test_exact_word_and_headline_matches_rank_first(archive):
    hits = archive.search("国务院").hits
    assert hits[0].id == "b1"  # in its headline and body as a word


def test_date_range_and_filters(archive):
    assert ids(archive.search("经济", date_from="1999")) == {"b1", "c1"}
    assert ids(archive.search("经济", date_to="1998-12")) == {"a2"}
    assert ids(archive.search("经济", date_from="1999-05-03", date_to="1999-05-03")) == {"b1"}
    assert ids(archive.search(None, topic="经济")) == {"a2", "b1"}
    assert ids(archive.search(None, place="北京", paper="人民日报")) == {"c1"}
    assert ids(archive.search(None, reporter="王小二")) == {"b1"}
    assert ids(archive.search(None, person=["江泽民", "李明"])) == {"a1", "b1"}
    with pytest.raises(NewsnlpError):
        archive.search("经济", date_from="1999-13")


def test_facets_count_the_whole_matching_set(archive):
    result = archive.search("经济", limit=1, facets=["topic", "year", "place"])
    assert result.total == 3 and len(result.hits) == 1
    assert {(f.value, f.count) for f in result.facets["topic"]} == {("经济", 2), ("社会", 1)}
    assert {(f.value, f.count) for f in result.facets["year"]} == {("1998", 1), ("1999", 2)}
    assert [(f.value, f.count) for f in result.facets["place"]] == [("北京", 2)]


def test_sort_by_date_and_snippet_marks_terms(archive):
    hits = archive.search("经济", sort="date").hits
    assert [h.id for h in hits] == ["c1", "b1", "a2"]
    hit = archive.search("国务院总理").hits[0]
    assert "[国务院总理]" in hit.marked_snippet() or "[国务院][总理]" in hit.marked_snippet()
    assert hit.to_dict()["snippet"].count("<mark>") >= 1
    assert hit.publication_date == "1999-05-03" and hit.paper == "光明日报" and hit.page == "2"


def test_iter_matching_ids_streams_every_match(archive):
    assert sorted(archive.iter_matching_ids("经济")) == ["a2", "b1", "c1"]
    assert list(archive.iter_matching_ids(None, sort="date")) == ["a1", "a2", "b1", "c1"]
    assert list(archive.iter_matching_ids("经济", date_to="1998")) == ["a2"]


def test_get_and_stats(archive):
    got = archive.get("b1")
    assert got.article.officials[0].name == "李明" and got.paper == "光明日报"
    stats = archive.stats()
    assert stats.articles == 4 and stats.pages == 3
    assert stats.by_year == {"1998": 2, "1999": 2}
    assert stats.by_paper == {"人民日报": 3, "光明日报": 1}
    assert {(f.value, f.count) for f in stats.top_persons} == {("江泽民", 1), ("李明", 1)}  # officials count too
    assert {f.value for f in stats.top_orgs} == {"中共中央", "国务院"}
    with pytest.raises(ArchiveError):
        archive.get("nope")


@pytest.mark.parametrize("query", ['"新年', "(经济", "nosuchfield:x", "，。", "经济 AND", "OR 北京"])
def test_malformed_queries_raise_one_clear_error(archive, query):
    with pytest.raises(NewsnlpError):
        archive.search(query)


def test_missing_index_is_a_clear_error(tmp_path):
    with pytest.raises(ArchiveError, match="no search index"):
        Archive(tmp_path / "none").search("x")


def test_reindexing_a_page_replaces_its_articles(archive):
    page = _pages()[0]
    page.articles = page.articles[:1]
    page.articles[0].body.append(Block("p", "补充一段新内容。"))
    archive.add_pages([page])
    assert archive.search(None).total == 3
    assert ids(archive.search("补充")) == {"a1"}
    assert archive.search("國務院發布").total == 0


def test_many_commits_merge_segments_without_losing_postings(tmp_path):
    # regression: inlined short posting lists of keyword fields broke Whoosh's segment merge
    for i in range(15):
        page = Page(source=f"s{i}", paper="报", publication_date="1998-01-02", articles=[
            _article(f"m{i}", f"标题{i}", f"第{i}篇文章讨论经济发展。", entities=[Entity("北京", "place", 0, 2)])])
        with IndexWriter(tmp_path / "ar") as writer:
            writer.add_page(page)
    archive = Archive(tmp_path / "ar")
    assert archive.search('"经济发展"').total == 15
    assert archive.search(None, place="北京", paper="报").total == 15
    assert ids(archive.search("标题7")) == {"m7"}


# ------------------------------------------------------------------ ingest

def _write_pages(folder: Path, count: int, *, start: int = 0) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(start, start + count):
        day = 1 + i % 28
        (folder / f"page{i:05d}-1998-02-{day:02d}.txt").write_text(
            f"第{i}号工作会议召开\n\n本报讯  会议讨论了第{i}号议题的落实情况。\n与会代表一致同意继续推进改革。\n",
            encoding="utf-8")


def test_ingest_indexes_and_reingest_has_no_duplicates(tmp_path):
    from newsnlp.ingest import ingest

    _write_pages(tmp_path / "in", 6)
    first = ingest([tmp_path / "in"], tmp_path / "ar", paper="测试报", jobs=2)
    assert first.pages == 6 and not first.failures
    archive = Archive(tmp_path / "ar")
    total = archive.search(None).total
    assert total == first.articles > 0
    assert archive.search('"落实情况"').total == total
    again = ingest([tmp_path / "in"], tmp_path / "ar", paper="测试报", jobs=1)
    assert again.pages == 6
    assert archive.search(None).total == total
    assert archive.stats().pages == 6


def test_second_writer_gets_a_clear_message(tmp_path):
    from newsnlp.ingest import ingest

    _write_pages(tmp_path / "in", 1)
    with IndexWriter(tmp_path / "ar"):
        with pytest.raises(ArchiveError, match="being written by another process"):
            ingest([tmp_path / "in"], tmp_path / "ar", jobs=1)
        with pytest.raises(ArchiveError, match=f"pid {os.getpid()}"):
            WriterLock(tmp_path / "ar").acquire(timeout=0.2)
    assert ingest([tmp_path / "in"], tmp_path / "ar", jobs=1).pages == 1  # released: works again


def test_killed_ingest_leaves_a_readable_index(tmp_path):
    pages = tmp_path / "in"
    _write_pages(pages, 200)
    archive_dir = tmp_path / "ar"
    script = textwrap.dedent(f"""
        import sys
        sys.path.insert(0, {str(ROOT)!r})
        from newsnlp.ingest import ingest
        ingest([{str(pages)!r}], {str(archive_dir)!r}, jobs=2, commit_every=5)
    """)
    proc = subprocess.Popen([sys.executable, "-c", script])
    archive = Archive(archive_dir)
    deadline = time.monotonic() + 60
    committed = 0
    while time.monotonic() < deadline and proc.poll() is None:  # wait for a few commits
        time.sleep(0.2)
        try:
            committed = archive.search(None).total
        except ArchiveError:
            continue
        if committed >= 10:
            break
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert committed >= 10, "ingest made no commits in time"
    reopened = Archive(archive_dir)
    total = reopened.search(None).total
    assert total >= committed
    assert reopened.search('"继续推进改革"').total == total  # every committed page is whole
    # the lock died with the process: a new ingest can write
    from newsnlp.ingest import ingest

    report = ingest(sorted(pages.iterdir())[-3:], archive_dir, jobs=1, lock_timeout=10)
    assert report.pages == 3 and Archive(archive_dir).search(None).total >= total


def test_reindex_indexes_pages_stored_but_never_committed(tmp_path):
    """An ingest killed after storing a page JSON but before the index commit loses nothing:
    `newsnlp reindex` brings the page into the index from pages/."""
    from click.testing import CliRunner

    from newsnlp import parse_text
    from newsnlp.cli import cli
    from newsnlp.store import PageStore

    archive = tmp_path / "archive"
    text = "全市召开防汛工作会议\n\n本报讯 （记者 张明） 昨日，全市防汛工作会议召开，部署汛期各项\n工作。\n"
    page = parse_text(text, source=str(tmp_path / "p1.txt"), analyze=False)
    PageStore(archive).save(page)
    runner = CliRunner()
    assert "防汛" not in runner.invoke(cli, ["search", "防汛", "--archive", str(archive), "--json"]).output
    result = runner.invoke(cli, ["reindex", "--archive", str(archive)])
    assert result.exit_code == 0, result.output
    hits = runner.invoke(cli, ["search", "防汛", "--archive", str(archive), "--json"])
    import json

    assert json.loads(hits.output)["total"] == 1
    runner.invoke(cli, ["reindex", "--archive", str(archive)])  # again: still one, no duplicates
    assert json.loads(runner.invoke(cli, ["search", "防汛", "--archive", str(archive), "--json"]).output)["total"] == 1


# ------------------------------------------------------------------ fast segment writer

def _random_pages(count: int, seed: int = 7) -> list[Page]:
    import random

    rng = random.Random(seed)
    words = ["经济", "发展", "会议", "北京", "改革", "农村", "学校", "医院", "工作", "群众", "项目", "建设",
             "记者", "采访", "企业", "创新", "ＡＢＣ", "2024年", "國務院", "十五大"]
    pages = []
    for p in range(count):
        articles = []
        for a in range(rng.randint(1, 4)):
            paras = ["".join(rng.choice(words) for _ in range(rng.randint(3, 40))) + "。" for _ in range(rng.randint(1, 3))]
            paras[0] = "经济" + paras[0]  # one term in every document: long, multi-block posting lists
            articles.append(_article(f"p{p}a{a}", "".join(rng.sample(words, 3)), *paras,
                                     entities=[Entity(rng.choice(["北京", "上海"]), "place", 0, 2)],
                                     topics=[Topic(rng.choice(["economy", "politics"]), 0.5)]))
        pages.append(Page(source=f"/p/{p}.txt", paper=rng.choice(["甲报", "乙报"]), page=str(p % 8 + 1),
                          publication_date=f"1998-{p % 12 + 1:02d}-0{p % 9 + 1}", articles=articles))
    return pages


def _postings_by_article(index_path: Path) -> dict:
    """(field, term) -> {article id: (weight, positions or frequency)} over every segment."""
    from whoosh import index as whoosh_index

    from newsnlp.index.store import INDEX_NAME

    ix = whoosh_index.open_dir(str(index_path), indexname=INDEX_NAME)
    out = {}
    with ix.searcher() as searcher:
        reader = searcher.reader()
        article_id = {docnum: fields["id"] for docnum, fields in reader.iter_docs()}
        for fieldname in reader.indexed_field_names():
            kind = "positions" if ix.schema[fieldname].format.supports("positions") else "frequency"
            for term in reader.lexicon(fieldname):
                matcher = reader.postings(fieldname, term)
                postings = {}
                while matcher.is_active():
                    postings[article_id[matcher.id()]] = (matcher.weight(), matcher.value_as(kind))
                    matcher.next()
                out[(fieldname, term)] = postings
    return out


@pytest.mark.parametrize("procs, commit_every_page", [(1, False), (2, False), (1, True), (2, True)])
def test_fast_writer_writes_what_whooshs_own_writer_writes(tmp_path, procs, commit_every_page):
    """Postings, weights, positions and scores are Whoosh's own, whether the writer runs in
    one process or in two (a segment each), and whether or not it merges segments with
    deleted (re-ingested) documents at its commits."""
    from whoosh.writing import SegmentWriter

    from newsnlp.index.segments import tiered_merge
    from newsnlp.index.store import open_index, page_documents
    from newsnlp.store import page_key

    pages = _random_pages(60)
    batches = [pages, pages[5:12] + pages[40:45]]  # then ingest some pages again
    ix = open_index(tmp_path / "whoosh", create=True)
    writer = SegmentWriter(ix)  # upstream writer and codec, committing as often
    for batch in batches:
        for page in batch:
            writer.delete_by_term("page_key", page_key(page.source))
            for doc in page_documents(page):
                writer.add_document(**doc)
            if commit_every_page:
                writer.commit(mergetype=tiered_merge)
                writer = SegmentWriter(ix)
        writer.commit(mergetype=tiered_merge)
        writer = SegmentWriter(ix)
    writer.cancel()
    for batch in batches:
        with IndexWriter(tmp_path / "fast", procs=procs) as fast:
            for page in batch:
                fast.add_page(page)
                if commit_every_page:
                    fast.commit()
    expected = _postings_by_article(tmp_path / "whoosh" / "index")
    got = _postings_by_article(tmp_path / "fast" / "index")
    assert got.keys() == expected.keys()
    assert got == expected
    assert max(len(p) for p in got.values()) > 128  # multi-block lists were written and read back
    archive, reference = Archive(tmp_path / "fast"), Archive(tmp_path / "whoosh")
    if procs == 1 and not commit_every_page:  # an index written by Whoosh itself merges as well
        from whoosh.writing import OPTIMIZE

        from newsnlp.index.segments import ArchiveSegmentWriter

        import shutil

        shutil.copytree(tmp_path / "whoosh", tmp_path / "merged")
        ArchiveSegmentWriter(open_index(tmp_path / "merged")).commit(mergetype=OPTIMIZE)
        assert len(open_index(tmp_path / "merged")._segments()) == 1
        assert _postings_by_article(tmp_path / "merged" / "index") == expected
    # same scores; merged segments keep field lengths as Whoosh's one-byte approximations,
    # so another segment layout (one segment per process, merges in the background that
    # leave a commit's new segment out) moves scores a little
    tolerance = 1e-6 if procs == 1 and not commit_every_page else 0.02
    for query in ("经济", '"北京改革"', "國務院", "abc"):
        scored = lambda ar: {h.id: h.score for h in ar.search(query, limit=500).hits}
        got_scores, expected_scores = scored(archive), scored(reference)
        assert got_scores.keys() == expected_scores.keys()
        assert got_scores == pytest.approx(expected_scores, rel=tolerance)


def test_merging_segments_keeps_every_posting(tmp_path):
    """A pure merge copies the posting blocks and inlined postings of terms found in one
    segment with their document numbers shifted, joins terms found in several, and drops
    re-ingested (deleted) documents: every article keeps exactly its postings."""
    from newsnlp.index.store import open_index, optimize

    first, second = _random_pages(30), _random_pages(30, seed=8)
    for page in second:  # other pages, with a term no page of the first segment has
        page.source = page.source.replace("/p/", "/q/")
        for article in page.articles:
            article.id = "q" + article.id
            article.body.append(Block("p", "独家新词汇出现在这里。"))
    for batch in (first, second, first[3:9]):  # the third batch deletes articles of the first segment
        with IndexWriter(tmp_path / "ar") as writer:
            for page in batch:
                writer.add_page(page)
    assert len(open_index(tmp_path / "ar")._segments()) == 3
    before = _postings_by_article(tmp_path / "ar" / "index")
    assert len(before[("body_bi", "独家".encode())]) > 16  # one segment's term, written in blocks
    optimize(tmp_path / "ar")
    assert len(open_index(tmp_path / "ar")._segments()) == 1
    assert _postings_by_article(tmp_path / "ar" / "index") == before


def test_optimize_merges_into_one_segment_and_keeps_every_article(tmp_path):
    from click.testing import CliRunner

    from newsnlp.cli import cli
    from newsnlp.index.store import open_index

    pages = _random_pages(12)
    for page in pages:  # one segment per page
        with IndexWriter(tmp_path / "ar") as writer:
            writer.add_page(page)
    before = Archive(tmp_path / "ar")
    hits = {h.id for h in before.search("经济", limit=500).hits}
    assert len(open_index(tmp_path / "ar")._segments()) > 1
    result = CliRunner().invoke(cli, ["optimize", "--archive", str(tmp_path / "ar")])
    assert result.exit_code == 0, result.output
    assert len(open_index(tmp_path / "ar")._segments()) == 1
    after = Archive(tmp_path / "ar")
    assert after.search(None).total == sum(len(p.articles) for p in pages)
    assert {h.id for h in after.search("经济", limit=500).hits} == hits
    with IndexWriter(tmp_path / "ar"):  # a writer holds the archive: a clear one-line error
        busy = CliRunner().invoke(cli, ["optimize", "--archive", str(tmp_path / "ar")])
    assert busy.exit_code == 1 and "being written by another process" in busy.output


def _per_document_data(index_path: Path) -> dict:
    """article id -> (stored fields, field lengths, sort key of the date column), and the
    total length of every field, over every segment."""
    from whoosh import index as whoosh_index

    from newsnlp.index.store import INDEX_NAME

    ix = whoosh_index.open_dir(str(index_path), indexname=INDEX_NAME)
    with ix.searcher() as searcher:
        reader = searcher.reader()
        names = sorted(ix.schema.scorable_names())
        dates = reader.column_reader("publication_date")
        docs = {fields["id"]: (fields, tuple(reader.doc_field_length(d, n, 0) for n in names), dates[d])
                for d, fields in reader.iter_docs()}
        return {"docs": docs, "totals": {n: reader.field_length(n) for n in names}}


def test_merging_copies_stored_fields_lengths_and_columns_as_whoosh_does(tmp_path):
    """Per-document data of merged segments (stored fields, one-byte field lengths, the date
    column, field length totals) equals what Whoosh's own writer makes of the same merge,
    deleted (re-ingested) documents left out."""
    import shutil

    from whoosh.writing import OPTIMIZE, SegmentWriter

    from newsnlp.index.store import open_index, optimize

    pages = _random_pages(40)
    for batch in (pages[:15], pages[15:], pages[3:6]):  # three segments, the first with deletions
        with IndexWriter(tmp_path / "ar") as writer:
            for page in batch:
                writer.add_page(page)
    assert len(open_index(tmp_path / "ar")._segments()) == 3
    before = _per_document_data(tmp_path / "ar" / "index")
    shutil.copytree(tmp_path / "ar", tmp_path / "upstream")
    SegmentWriter(open_index(tmp_path / "upstream")).commit(mergetype=OPTIMIZE)
    optimize(tmp_path / "ar")
    assert len(open_index(tmp_path / "ar")._segments()) == 1
    merged = _per_document_data(tmp_path / "ar" / "index")
    assert merged == _per_document_data(tmp_path / "upstream" / "index")
    assert merged["docs"] == before["docs"]
    assert len(merged["docs"]) == sum(len(p.articles) for p in pages)


# ------------------------------------------------------------------ background merges

def _commit_pages_one_by_one(writer: IndexWriter, pages: list[Page]) -> None:
    for page in pages:
        writer.add_page(page)
        writer.commit()


def test_background_merge_keeps_deletions_made_while_it_ran(tmp_path):
    """Pages ingested again while their segments are being merged stay deleted in the merged
    segment: no duplicates, no lost articles, the same postings as an index never merged."""
    from newsnlp.index.store import open_index

    pages = _random_pages(14)
    with IndexWriter(tmp_path / "ar") as writer:
        _commit_pages_one_by_one(writer, pages[:10])  # the tenth commit starts a merge of ten segments
        merge = writer._merge
        assert merge is not None and len(merge.sources) == 10
        merge.wait()  # finished, not yet swapped in
        for page in pages[2:5]:  # ingested again: deletes articles from the segments being merged
            page.articles[0].body.append(Block("p", "重新录入的段落。"))
        _commit_pages_one_by_one(writer, pages[2:5] + pages[10:])  # the first of these commits swaps it in
        segments = open_index(tmp_path / "ar")._segments()
        assert any(seg.segment_id() == merge.segment_id for seg in segments)
    archive = Archive(tmp_path / "ar")
    assert archive.search(None).total == sum(len(p.articles) for p in pages)
    assert {h.id for h in archive.search('"重新录入"', limit=100).hits} == {p.articles[0].id for p in pages[2:5]}
    with IndexWriter(tmp_path / "plain") as writer:  # the same pages, one segment, no merge
        for page in pages[:10] + pages[2:5] + pages[10:]:
            writer.add_page(page)
    assert _postings_by_article(tmp_path / "ar" / "index") == _postings_by_article(tmp_path / "plain" / "index")


def test_commits_keep_the_files_of_a_running_merge(tmp_path):
    """A commit deletes files of segments not in the index, except those a background merge
    is still writing; a cancelled merge leaves no file behind."""
    from newsnlp.index.segments import ArchiveSegmentWriter, BackgroundMerge
    from newsnlp.index.store import INDEX_NAME, index_dir, open_index

    with IndexWriter(tmp_path / "ar") as writer:
        _commit_pages_one_by_one(writer, _random_pages(3))
    folder = index_dir(tmp_path / "ar")
    (folder / f"{INDEX_NAME}_busy.seg").write_bytes(b"being written")
    (folder / f"{INDEX_NAME}_stale.seg").write_bytes(b"left over")
    writer = ArchiveSegmentWriter(open_index(tmp_path / "ar"))
    writer.reserved_segment_ids = frozenset({f"{INDEX_NAME}_busy"})
    writer.commit()
    assert (folder / f"{INDEX_NAME}_busy.seg").exists() and not (folder / f"{INDEX_NAME}_stale.seg").exists()
    ix = open_index(tmp_path / "ar")
    merge = BackgroundMerge(ix, ix._segments())
    merge.cancel()
    assert not [p for p in folder.iterdir() if merge.segment_id in p.name]
    assert Archive(tmp_path / "ar").search(None).total == sum(len(p.articles) for p in _random_pages(3))


def test_closing_finishes_merges_and_ctrl_c_stops_them(tmp_path):
    from newsnlp.index.store import open_index

    pages = _random_pages(12)
    with IndexWriter(tmp_path / "done") as writer:
        _commit_pages_one_by_one(writer, pages)
    assert len(open_index(tmp_path / "done")._segments()) == 3  # ten merged into one, then two more
    writer = IndexWriter(tmp_path / "stopped")
    _commit_pages_one_by_one(writer, pages[:10])
    assert writer._merge is not None
    writer.add_page(pages[10])
    writer.close(finish_merges=False)  # as on Ctrl-C: commit what was added, do not wait
    assert len(open_index(tmp_path / "stopped")._segments()) == 11
    assert Archive(tmp_path / "stopped").search(None).total == sum(len(p.articles) for p in pages[:11])


def _three_segments_with_deletions(tmp_path: Path) -> tuple[list[Page], Archive]:
    """80 random pages in two segments, then 10 of them ingested again (a third segment)."""
    pages = _random_pages(80)
    for batch in (pages[:40], pages[40:], pages[5:15]):
        with IndexWriter(tmp_path / "ar") as writer:
            for page in batch:
                writer.add_page(page)
    return pages, Archive(tmp_path / "ar")


def _exhaustive_search(searcher, query: str, limit: int):
    """Whoosh's own search without its top-N shortcuts: every match scored and counted."""
    from whoosh.collectors import TopCollector

    from newsnlp.index.search import parse_query

    collector = TopCollector(limit=limit, usequality=False, replace=0)
    searcher.search_with_collector(parse_query(query, searcher.schema), collector)
    return collector


def test_totals_and_facets_count_every_match(tmp_path):
    """A search's total is the number of matching articles, not what Whoosh's top-N matcher
    happened to score (it drops clauses that cannot reach the top N): checked against an
    exhaustive Whoosh count for words, phrases, boolean and field queries and filters, over
    several segments with re-ingested (deleted) articles."""
    pages, archive = _three_segments_with_deletions(tmp_path)
    searcher = archive.searcher()

    queries = ["经济", "北京", "会议", "学校 医院", "经济 OR 记者", "经济 NOT 农村", '"经济发展"', '"改革农村"',
               "headline:会议", "place:上海", "國務院", "abc", "2024年", "经*"]  # the last: Whoosh's own count
    for query in queries:
        assert archive.search(query, limit=3).total == _exhaustive_search(searcher, query, 1).count(), query
    def says(article: Article, word: str) -> bool:
        return word in "".join(article.headline) + "".join(b.text for b in article.body)

    assert archive.search("会议", limit=1).total == sum(says(a, "会议") for p in pages for a in p.articles)
    by_paper = {p.paper: 0 for p in pages}
    for p in pages:
        by_paper[p.paper] += sum(says(a, "会议") for a in p.articles)
    result = archive.search("会议", limit=1, facets=["paper"])
    assert {f.value: f.count for f in result.facets["paper"]} == {k: v for k, v in by_paper.items() if v}
    assert archive.search("会议", limit=1, paper="甲报").total == by_paper["甲报"]


def test_ranking_from_posting_lists_scores_as_whoosh_does(tmp_path):
    """Hits ranked from posting lists (newsnlp.index.docsets) have the scores and order that
    Whoosh's own exhaustive BM25F search gives, over several segments with deletions."""
    from newsnlp.index.docsets import ranked_docs
    from newsnlp.index.search import parse_query

    _, archive = _three_segments_with_deletions(tmp_path)
    searcher = archive.searcher()
    for query in ["经济", "会议 北京", "学校 OR 医院", "经济 NOT 农村", '"经济发展"', '"北京改革"', "headline:会议",
                  "place:上海", "國務院", "abc", "建设项目", "id:p3a0"]:
        q = parse_query(query, searcher.schema)
        assert ranked_docs(searcher, q) is not None, query  # handled here, not by the fallback
        expected = [(hit.docnum, hit.score) for hit in _exhaustive_search(searcher, query, 25).results()]
        got = archive.search(query, limit=25).hits
        assert [h.score for h in got] == pytest.approx([score for _, score in expected], rel=1e-9), query
        stored = searcher.stored_fields
        distinct = [i for i, (_, score) in enumerate(expected) if [s for _, s in expected].count(score) == 1]
        assert [got[i].id for i in distinct] == [stored(expected[i][0])["id"] for i in distinct], query
