"""`newsnlp serve` benchmark: server time until the first result page renders.

    nice python benchmarks/bench_serve.py --n 100000 [--workdir /tmp/bench-serve] [--queries 100]

Builds (once; reused when ``--workdir`` already holds one of the same size) an archive of N
synthetic articles: People's Daily 1998 articles (../shared/data/peoples_daily_1998_01, PER/LOC/ORG
spans as entities) replicated with new ids, spread over 1990-2023, three papers, 20 topics and
300 reporters, so that every facet of the page has many values; without ../shared, random
text from a small vocabulary.  Then, in process (Flask's test client, so no network time):

* start: create the app (opens the index, fills the caches), then render ``/``;
* p50/p95 of the search page for word queries, filtered queries (paper + year), the whole
  archive, deep pages, of ``/api/search`` and of the article page: time until the first
  result is sent (the page streams; facet counts and the month chart follow) and until done.
"""
from __future__ import annotations

import argparse
import itertools
import re
import random
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench_index import load_articles, pct  # noqa: E402  (same folder)
from newsnlp.index import Archive, IndexWriter, index_exists  # noqa: E402
from newsnlp.index.schema import article_document  # noqa: E402
from newsnlp.model import Article, Block, Entity, Page, Topic  # noqa: E402
from newsnlp.store import PageStore, page_key  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "peoples_daily_1998_01" / "199801_entities.jsonl"
PAPERS = ["人民日报", "光明日报", "经济日报"]
TOPICS = ["时政", "经济", "农业", "教育", "科技", "文化", "体育", "卫生", "法治", "环境",
          "交通", "军事", "外交", "社会", "旅游", "金融", "工业", "民生", "港澳台", "国际"]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰"


def load_source_articles() -> list[dict]:
    """People's Daily articles as dicts (headline, paragraphs, entities), or random ones."""
    if not DATA.is_file():
        rng = random.Random(1)
        vocab = ["经济", "发展", "建设", "人民", "工作", "会议", "改革", "农村", "企业", "城市", "群众", "项目",
                 "教育", "科技", "文化", "市场", "政府", "全面", "推进", "加强"]
        return [{"headline": "".join(rng.choices(vocab, k=4)),
                 "paragraphs": ["".join(rng.choices(vocab, k=40)) + "。" for _ in range(4)], "entities": []}
                for _ in range(2000)]
    return load_articles(DATA)  # PD1998 articles grouped as bench_index does


def make_pages(n: int, seed: int = 7) -> tuple[list[Page], dict[str, int]]:
    """Pages holding ``n`` articles, and each article's source article (by index)."""
    rng = random.Random(seed)
    sources = load_source_articles()
    reporters = [rng.choice(SURNAMES) + "".join(rng.choices(GIVEN, k=rng.choice((1, 2)))) for _ in range(300)]
    pages, origin, count, page_no = [], {}, 0, 0
    while count < n:
        page_no += 1
        date = f"{rng.randint(1990, 2023)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
        page = Page(source=f"/synthetic/{page_no:07d}.txt", paper=rng.choice(PAPERS),
                    page=str(rng.randint(1, 16)), publication_date=date)
        for _ in range(min(8, n - count)):
            src = rng.randrange(len(sources))
            a = sources[src]
            count += 1
            aid = f"s{count:07d}"
            origin[aid] = src
            page.articles.append(Article(
                id=aid, headline=[a["headline"]], body=[Block("p", t) for t in a["paragraphs"]],
                reporters=rng.sample(reporters, rng.choice((0, 1, 1, 2))),
                entities=[Entity(s, t, b, e) for s, t, b, e in a["entities"]],
                topics=[Topic(t, round(rng.random(), 2)) for t in rng.sample(TOPICS, rng.choice((1, 1, 2)))]))
        pages.append(page)
    return pages, origin


#: document fields that depend only on the article's text and entities (same for every replica)
TEXT_FIELDS = ("headline", "headline_bi", "body", "body_bi", "text", "_stored_headline", "persons", "places",
               "orgs", "officials", "quoted_terms", "_stored_persons", "_stored_places", "_stored_orgs",
               "_stored_officials", "_stored_quoted_terms")


def build(archive: Path, n: int) -> None:
    """Store and index the synthetic pages; each source article is tokenized once (replicas
    reuse its text fields), which is what makes 100k articles affordable on two shared cores."""
    if archive.exists():
        shutil.rmtree(archive)
    t = time.perf_counter()
    pages, origin = make_pages(n)
    store = PageStore(archive)
    cache: dict[int, dict] = {}
    done = 0
    with IndexWriter(archive) as writer:
        for i, page in enumerate(pages, 1):
            store.save(page)
            key = page_key(page.source)
            docs = []
            for position, a in enumerate(page.articles):
                src = origin[a.id]
                if src not in cache:
                    cache[src] = {k: v for k, v in article_document(page, a, position, page_key=key).items()
                                  if k in TEXT_FIELDS}
                meta = article_document(page, Article(id=a.id, headline=[], reporters=a.reporters, topics=a.topics),
                                        position, page_key=key)
                docs.append({**meta, **cache[src]})
            writer.replace_page(key, docs)
            done += len(docs)
            if i % 2500 == 0:
                writer.commit()
                print(f"  {done:>7} articles  {time.perf_counter() - t:6.0f} s", file=sys.stderr)
    (archive / "bench-size").write_text(str(n))
    print(f"built {n} articles in {time.perf_counter() - t:.0f} s", file=sys.stderr)


def timed(client, url: str) -> tuple[float, float]:
    """(seconds until the first result is sent, seconds until the whole response is), in process."""
    t = time.perf_counter()
    resp = client.get(url, buffered=False)
    first, parts = None, []
    for chunk in resp.response:
        parts.append(chunk if isinstance(chunk, bytes) else chunk.encode())
        if first is None and (b'class="hit"' in parts[-1] or b'"hits"' in parts[-1]
                              or b'class="empty"' in parts[-1] or b'id="article"' in parts[-1]):
            first = time.perf_counter() - t
    resp.close()
    whole = time.perf_counter() - t
    assert resp.status_code == 200, (url, resp.status_code, b"".join(parts)[:300])
    return (first if first is not None else whole), whole


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=100_000)
    ap.add_argument("--queries", type=int, default=100)
    ap.add_argument("--workdir", type=Path, default=None, help="keep the archive here and reuse it")
    args = ap.parse_args()
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-serve-"))
    archive = workdir / "archive"
    try:
        size_file = archive / "bench-size"
        if not (index_exists(archive) and size_file.is_file() and size_file.read_text() == str(args.n)):
            build(archive, args.n)

        from newsnlp.web import create_app

        t = time.perf_counter()
        app = create_app(archive)
        app.extensions["newsnlp_warmup"].join()
        client = app.test_client()
        started = time.perf_counter() - t
        cold_first, cold_whole = timed(client, "/")
        searcher = Archive(archive).searcher()
        total = searcher.doc_count()
        rng = random.Random(3)
        sample = list(itertools.islice(searcher.reader().all_stored_fields(), 2000))
        words = []
        for doc in rng.sample(sample, min(args.queries, len(sample))):
            runs = re.findall(r"[\u4e00-\u9fff]{2,}", doc.get("headline") or "")
            if runs:
                run = rng.choice(runs)
                i = rng.randrange(0, len(run) - 1)
                words.append(run[i:i + 2])
        ids = [d["id"] for d in rng.sample(sample, args.queries)]
        runs = {
            "search: word": [f"/?q={quote(w)}" for w in words],
            "search: word, paper+year": [f"/?q={quote(w)}&paper={quote(rng.choice(PAPERS))}"
                                         f"&from={y}&to={y}" for w in words for y in [rng.randint(1990, 2023)]],
            "search: whole archive": ["/", "/?sort=date"] * 10,
            "search: 1990-2023 (all)": ["/?from=1990&to=2023"] * 5,
            "search: page 10": [f"/?q={quote(w)}&page=10" for w in words[:20]],
            "/api/search": [f"/api/search?q={quote(w)}&facets=topic,year,paper" for w in words],
            "article page": [f"/article/{i}" for i in ids],
        }
        print(f"archive: {total} articles ({workdir}); server time, Flask test client, no network")
        print(f"app start + warm-up (opens the index, fills the facet caches, in a thread): {started * 1000:.0f} ms; "
              f"then the first '/': first result {cold_first * 1000:.0f} ms, whole page {cold_whole * 1000:.0f} ms")
        print("first = until the first result is sent (the page streams: facets and chart follow); whole = page done")
        print(f"{'request':26} {'n':>4} {'first p50':>10} {'first p95':>10} {'whole p50':>10} {'whole p95':>10}")
        for name, urls in runs.items():
            for url in urls[:2]:
                timed(client, url)  # warm this path
            times = [timed(client, u) for u in urls]
            first = [f * 1000 for f, _ in times]
            whole = [w * 1000 for _, w in times]
            print(f"{name:26} {len(times):4d} {statistics.median(first):10.1f} {pct(first, 0.95):10.1f} "
                  f"{statistics.median(whole):10.1f} {pct(whole, 0.95):10.1f}", flush=True)
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
