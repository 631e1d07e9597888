"""Index benchmark: Whoosh archive index vs. tantivy on People's Daily 1998 articles.

    nice python benchmarks/bench_index.py --n 10000 [--jobs 2] [--relevance] [--no-tantivy] [--optimize]

Articles come from ../shared/data/peoples_daily_1998_01/199801_entities.jsonl (paragraphs
grouped by the id prefix YYYYMMDD-PP-AAA; first paragraph = headline; PER/LOC/ORG spans
become entities).  To reach N they are replicated with new ids, dates shifted by whole
months and alternating paper names.  Indexing is end to end from Page objects: documents
(normalisation, jieba, bigrams) are built in ``--jobs`` processes, written by ``--jobs``
segment writers and committed every 1,000 pages or 60 s, as ``newsnlp ingest`` does (minus
parsing page text).  The tantivy pass builds the same documents the same way.

Prints docs/s, index size, query latency p50/p95 (word, phrase, filtered, faceted) and the
same for tantivy (jieba tokens of the same normalised text joined by spaces, whitespace
tokenizer, word fields only) with the Whoosh/tantivy ratios.

``--relevance``: builds an index of the original 3,148 articles and runs one known-item
query per article (person, place, 2-4 character word or quoted phrase drawn from it, see
:func:`relevance`): share found in the top 10, and share of verbatim phrase queries that
match their article.
"""
from __future__ import annotations

import argparse
import datetime as dt
import json
import multiprocessing
import os
import random
import re
import shutil
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsnlp.index import Archive, IndexWriter, page_documents  # noqa: E402
from newsnlp.index.analysis import normalize, word_tokens  # noqa: E402
from newsnlp.ingest import COMMIT_EVERY, COMMIT_SECONDS  # noqa: E402
from newsnlp.model import Article, Block, Entity, Page  # noqa: E402
from newsnlp.store import page_key  # noqa: E402

DATA = ROOT.parent / "shared" / "data" / "peoples_daily_1998_01" / "199801_entities.jsonl"
TYPES = {"PER": "person", "LOC": "place", "ORG": "org"}
RUNS = re.compile(r"[\u4e00-\u9fff0-9a-zA-Z０-９ａ-ｚＡ-Ｚ]{8,}")  # unpunctuated stretches for phrases
PAPERS = ["人民日报", "人民日报海外版", "经济日报"]


def load_articles(path: Path = DATA) -> list[dict]:
    """One dict per article: id, date, page, headline, paragraphs, entities."""
    grouped: dict[str, list[dict]] = defaultdict(list)
    order = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            key = row["id"].rsplit("-", 1)[0]
            if key not in grouped:
                order.append(key)
            grouped[key].append(row)
    articles = []
    for key in order:
        rows = grouped[key]
        date, page, _ = key.split("-")
        body = rows[1:] or rows
        text, entities, offset = [], [], 0
        for r in body:
            for start, end, kind, surface in r["entities"]:
                if kind in TYPES:
                    entities.append((surface, TYPES[kind], offset + start, offset + end))
            text.append(r["text"])
            offset += len(r["text"]) + 1
        articles.append({"id": key, "date": f"{date[:4]}-{date[4:6]}-{date[6:]}", "page": page,
                         "headline": rows[0]["text"], "paragraphs": text, "entities": entities})
    return articles


def shift_month(date: str, months: int) -> str:
    d = dt.date.fromisoformat(date)
    m = d.month - 1 + months
    return dt.date(d.year + m // 12, m % 12 + 1, min(d.day, 28)).isoformat()


def make_pages(articles: list[dict], n: int) -> list[Page]:
    """Pages holding ``n`` articles (originals first, then replicas)."""
    pages: dict[tuple, Page] = {}
    count = 0
    copy = 0
    while count < n:
        for a in articles:
            if count >= n:
                break
            date = shift_month(a["date"], copy) if copy else a["date"]
            paper = PAPERS[copy % len(PAPERS)]
            key = (copy, date, a["page"])
            page = pages.get(key)
            if page is None:
                page = pages[key] = Page(source=f"pd/{copy}/{date}-{a['page']}.txt", paper=paper,
                                         page=str(int(a["page"])), publication_date=date)
            page.articles.append(Article(
                id=a["id"] if not copy else f"{a['id']}-r{copy}", headline=[a["headline"]],
                body=[Block("p", t) for t in a["paragraphs"]],
                entities=[Entity(s, t, b, e) for s, t, b, e in a["entities"]]))
            count += 1
        copy += 1
    return list(pages.values())


def cpu_seconds() -> float:
    """CPU seconds of this process and of its finished child processes."""
    import resource

    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def dir_size(path: Path) -> int:
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


def pct(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(round(q * (len(values) - 1))))]


# ------------------------------------------------------------------ whoosh

def _bounded_imap(pool, pages: list[Page], window: int = 64):
    """(page, documents) in order, never more than ``window`` pages ahead of the writer."""
    for s in range(0, len(pages), window):
        chunk = pages[s:s + window]
        yield from zip(chunk, pool.imap(page_documents, chunk, chunksize=4))


def build_whoosh(pages: list[Page], archive: Path, jobs: int, progress: bool = False,
                 deadline: float | None = None, indexed: list | None = None) -> float:
    """Index ``pages`` like ``newsnlp ingest``: documents (normalisation, jieba, bigrams) built in
    ``jobs`` processes, written by ``jobs`` segment writers, committed as ``newsnlp ingest`` commits.
    Returns the wall time in seconds."""
    indexed = indexed if indexed is not None else [len(pages)]
    start = last_commit = time.perf_counter()
    with IndexWriter(archive, procs=jobs) as writer:
        ctx = multiprocessing.get_context("fork")
        with ctx.Pool(jobs) as pool:
            for i, (page, docs) in enumerate(_bounded_imap(pool, pages), 1):
                if deadline and time.perf_counter() - start > deadline:
                    indexed[0] = i - 1
                    print(f"  stopped after {deadline:.0f} s (--max-seconds)", flush=True)
                    break
                writer.replace_page(page_key(page.source), docs)
                if writer.pending_pages >= COMMIT_EVERY or time.perf_counter() - last_commit >= COMMIT_SECONDS:
                    writer.commit()
                    last_commit = time.perf_counter()
                    if progress:
                        done = sum(len(p.articles) for p in pages[:i])
                        print(f"  ... {done} articles in {time.perf_counter() - start:.0f} s", flush=True)
    return time.perf_counter() - start


def build_tantivy(pages: list[Page], path: Path, jobs: int):
    """The same documents (jieba words joined by spaces), built the same way, in a tantivy
    index committed as often as the Whoosh pass commits.  Returns (index, wall seconds)."""
    start = last_commit = time.perf_counter()
    index = tantivy_index(path)
    writer = index.writer(heap_size=128_000_000, num_threads=1)
    with multiprocessing.get_context("fork").Pool(jobs) as pool:
        for i, (page, docs) in enumerate(_bounded_imap(pool, pages), 1):
            tantivy_add(writer, page, docs)
            if i % COMMIT_EVERY == 0 or time.perf_counter() - last_commit >= COMMIT_SECONDS:
                writer.commit()
                last_commit = time.perf_counter()
    writer.commit()
    writer.wait_merging_threads()
    index.reload()
    return index, time.perf_counter() - start


def make_queries(articles: list[dict], rng: random.Random, count: int = 200) -> dict[str, list]:
    words, phrases = [], []
    for a in rng.sample(articles, min(count * 2, len(articles))):
        text = "".join(a["paragraphs"])
        cands = [w for w in word_tokens(text) if 2 <= len(w) <= 4 and not w.isascii()]
        if cands:
            words.append(rng.choice(cands))
        sents = RUNS.findall(normalize(text))
        if sents:
            s = rng.choice(sents)
            i = rng.randrange(0, len(s) - 5)
            phrases.append(s[i:i + rng.randint(4, 8)])
    words, phrases = words[:count], phrases[:count]
    months = [f"1998-{m:02d}" for m in range(1, 13)]
    filtered = [(w, rng.choice(months), rng.choice(PAPERS)) for w in words]
    return {"word": words, "phrase": phrases, "filtered": filtered, "faceted": words}


def time_whoosh(archive: Archive, queries: dict[str, list]) -> dict[str, list[float]]:
    run = {
        "word": lambda q: archive.search(q, limit=10),
        "phrase": lambda q: archive.search(f'"{q}"', limit=10),
        "filtered": lambda q: archive.search(q[0], date_from=q[1], date_to=q[1], paper=q[2], limit=10),
        "faceted": lambda q: archive.search(q, limit=10, facets=["topic", "person", "place", "org", "year"]),
    }
    return time_queries(run, queries)


def time_queries(run: dict, queries: dict[str, list]) -> dict[str, list[float]]:
    """Seconds per query for each kind, after ten warm-up queries (caches filled)."""
    out = {}
    for kind, qs in queries.items():
        for q in qs[:10]:
            run[kind](q)
        times = []
        for q in qs:
            t = time.perf_counter()
            run[kind](q)
            times.append(time.perf_counter() - t)
        out[kind] = times
    return out


# ------------------------------------------------------------------ tantivy

def tantivy_index(path: Path):
    import tantivy

    sb = tantivy.SchemaBuilder()
    sb.add_text_field("id", stored=True, tokenizer_name="raw")
    sb.add_text_field("headline", stored=True, tokenizer_name="whitespace")
    sb.add_text_field("body", tokenizer_name="whitespace")
    sb.add_date_field("date", stored=True, indexed=True, fast=True)
    sb.add_text_field("paper", stored=True, tokenizer_name="raw", fast=True)
    sb.add_text_field("year", tokenizer_name="raw", fast=True)
    for name in ("persons", "places", "orgs", "topics"):
        sb.add_text_field(name, stored=True, tokenizer_name="raw", fast=True)
    path.mkdir(parents=True, exist_ok=True)
    return tantivy.Index(sb.build(), path=str(path))


def tantivy_add(writer, page: Page, docs: list[dict]) -> None:
    """The Whoosh documents' jieba words (already normalised) as whitespace-separated text."""
    import tantivy

    d = dt.datetime.fromisoformat(page.publication_date)
    for doc in docs:
        tdoc = tantivy.Document(id=doc["id"], headline=doc["headline"][1:].replace("\x1f", " "),
                                body=doc["body"][1:].replace("\x1f", " "), date=d, paper=page.paper,
                                year=str(d.year))
        for name in ("persons", "places", "orgs", "topics"):
            for v in doc[name][1:].split("\x1f"):
                if v:
                    tdoc.add_text(name, v)
        writer.add_document(tdoc)


def time_tantivy(index, queries: dict[str, list]) -> dict[str, list[float]]:
    import tantivy

    searcher = index.searcher()

    def words_query(text: str, phrase: bool):
        toks = word_tokens(text)
        if not toks:
            return tantivy.Query.empty_query()
        q = " ".join(toks)
        return index.parse_query(f'"{q}"' if phrase or len(toks) > 1 else q, ["headline", "body"])

    def filtered(q):
        base = words_query(q[0], False)
        month = dt.datetime.fromisoformat(q[1] + "-01")
        end = dt.datetime(month.year + month.month // 12, month.month % 12 + 1, 1)
        rng = tantivy.Query.range_query(index.schema, "date", tantivy.FieldType.Date, month, end,
                                        include_lower=True, include_upper=False)
        paper = tantivy.Query.term_query(index.schema, "paper", q[2])
        return tantivy.Query.boolean_query([(tantivy.Occur.Must, base), (tantivy.Occur.Must, rng),
                                            (tantivy.Occur.Must, paper)])

    def run_search(query, facets=False):
        res = searcher.search(query, 10, count=True)
        for _, addr in res.hits:
            searcher.doc(addr)
        if facets:
            searcher.aggregate(query, {n: {"terms": {"field": n, "size": 10}}
                                       for n in ("persons", "places", "orgs", "topics", "year")})
        return res

    run = {
        "word": lambda q: run_search(words_query(q, False)),
        "phrase": lambda q: run_search(words_query(q, True)),
        "filtered": lambda q: run_search(filtered(q)),
        "faceted": lambda q: run_search(words_query(q, False), facets=True),
    }
    return time_queries(run, queries)


# ------------------------------------------------------------------ relevance

def relevance(articles: list[dict], workdir: Path, jobs: int, rng: random.Random) -> None:
    """One known-item query per article, cycling person, place, word and phrase queries.

    Each query is the article's rarest candidate of its kind (as an archivist remembers the
    unusual name, not 北京).  When even that occurs in more than ``COMMON`` articles, the
    article's rarest 2-4 character word is added as a second term, as a user narrows a search.
    """
    pages = make_pages(articles, len(articles))
    archive_path = workdir / "relevance"
    build_whoosh(pages, archive_path, jobs)
    archive = Archive(archive_path)
    texts = [normalize(a["headline"] + "\n" + "\n".join(a["paragraphs"])) for a in articles]
    article_words = [[w for w in dict.fromkeys(word_tokens(t, normalized=True)) if 2 <= len(w) <= 4 and not w.isascii()]
                     for t in texts]
    word_df: dict[str, int] = defaultdict(int)
    for words in article_words:
        for w in words:
            word_df[w] += 1

    def df(term: str) -> int:
        term = normalize(term)
        return word_df.get(term) or sum(1 for t in texts if term in t)

    def rarest(cands):
        cands = [c for c in dict.fromkeys(cands) if c]
        return min(cands, key=lambda c: (df(c), -len(c))) if cands else None

    COMMON = 10
    kinds = ["person", "place", "word", "phrase"]
    found = defaultdict(lambda: [0, 0])
    phrase_ok = [0, 0]
    narrowed = 0
    misses = []
    for i, a in enumerate(articles):
        text = "\n".join(a["paragraphs"])
        kind = kinds[i % 4]
        ents = {"person": [e[0] for e in a["entities"] if e[1] == "person"],
                "place": [e[0] for e in a["entities"] if e[1] == "place"]}
        best_word = min(article_words[i], key=lambda w: (word_df[w], -len(w))) if article_words[i] else None
        query = rarest(ents[kind]) if kind in ents else None
        if query is None and kind != "phrase":
            kind, query = "word", best_word
        if query is None or kind == "phrase":
            kind = "phrase"
            runs = RUNS.findall(text)
            if not runs:
                continue
            cands = []
            for _ in range(5):
                run = rng.choice(runs)
                j = rng.randrange(0, len(run) - 3)
                cands.append(run[j:j + rng.randint(4, 8)])
            phrase = rarest(c for c in cands if len(c) >= 4)
            if not phrase:
                continue
            matched = set(archive.iter_matching_ids(f'"{phrase}"'))
            phrase_ok[0] += a["id"] in matched
            phrase_ok[1] += 1
            if a["id"] not in matched:
                misses.append(("phrase-verbatim", phrase, a["id"]))
            query = f'"{phrase}"'
        if df(query.strip('"')) > COMMON and best_word and best_word != query:
            query = f"{query} {best_word}"
            narrowed += 1
        hits = [h.id for h in archive.search(query, limit=10).hits]
        found[kind][0] += a["id"] in hits
        found[kind][1] += 1
        if a["id"] not in hits:
            misses.append((kind, query, a["id"]))
    total_found = sum(v[0] for v in found.values())
    total = sum(v[1] for v in found.values())
    print(f"\nrelevance over {len(articles)} articles (one query per article, source in top 10; "
          f"{narrowed} queries narrowed with a second word):")
    for kind, (ok, n) in found.items():
        print(f"  {kind:<7} {ok:>5}/{n:<5} {ok / n:.1%}")
    print(f"  all     {total_found:>5}/{total:<5} {total_found / total:.1%}")
    print(f"  verbatim phrase queries matching their article: {phrase_ok[0]}/{phrase_ok[1]}")
    for m in misses[:15]:
        print("  miss", *m)
    sys.stdout.flush()


# ------------------------------------------------------------------ main

def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10000)
    ap.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    ap.add_argument("--queries", type=int, default=200)
    ap.add_argument("--relevance", action="store_true")
    ap.add_argument("--no-tantivy", action="store_true")
    ap.add_argument("--optimize", action="store_true",
                    help="also merge the index into one segment (newsnlp optimize) and time the queries again")
    ap.add_argument("--workdir", type=Path, default=None)
    ap.add_argument("--max-seconds", type=float, default=None,
                    help="stop indexing after this long and measure what was indexed")
    args = ap.parse_args()
    if not DATA.is_file():
        sys.exit(f"missing {DATA}")
    rng = random.Random(1998)
    workdir = args.workdir or Path(tempfile.mkdtemp(prefix="bench-index-"))
    articles = load_articles()
    word_tokens("预热")  # load jieba before forking
    try:
        if args.relevance:
            relevance(articles, workdir, args.jobs, rng)
        if args.n <= 0:
            return
        pages = make_pages(articles, args.n)
        n = sum(len(p.articles) for p in pages)
        print(f"\n{n} articles on {len(pages)} pages, jobs={args.jobs}, cpus={os.cpu_count()}")
        indexed = [len(pages)]
        cpu_before = cpu_seconds()
        seconds = build_whoosh(pages, workdir / "whoosh", args.jobs, progress=True, deadline=args.max_seconds,
                               indexed=indexed)
        cpu = cpu_seconds() - cpu_before
        n = sum(len(p.articles) for p in pages[:indexed[0]])
        if indexed[0] < len(pages):
            print(f"indexed {n} articles ({indexed[0]} pages) before the time limit")
        size = dir_size(workdir / "whoosh" / "index")
        queries = make_queries(articles, rng, args.queries)
        archive = Archive(workdir / "whoosh")
        assert archive.search(None, limit=1).total == n, "index does not hold every article"
        w_times = time_whoosh(archive, queries)
        print(f"whoosh : {n / seconds:8.0f} articles/s ({seconds:.1f} s), index {size / 2**20:.1f} MiB")
        print(f"  CPU time of all processes {cpu:.1f} s = {cpu / n * 1000:.2f} ms/article "
              f"(on {os.cpu_count()} otherwise idle cores: {os.cpu_count() * n / cpu:.0f} articles/s)")
        for kind, ts in w_times.items():
            print(f"  {kind:<8} p50 {pct(ts, .5) * 1000:7.1f} ms   p95 {pct(ts, .95) * 1000:7.1f} ms   (n={len(ts)})")
        sys.stdout.flush()
        if args.optimize:
            from newsnlp.index.store import optimize

            merge_seconds = optimize(workdir / "whoosh")
            print(f"whoosh after `newsnlp optimize` ({merge_seconds:.0f} s; indexing + optimize "
                  f"{n / (seconds + merge_seconds):.0f} articles/s), index {dir_size(workdir / 'whoosh' / 'index') / 2**20:.1f} MiB")
            w_times = time_whoosh(Archive(workdir / "whoosh"), queries)
            for kind, ts in w_times.items():
                print(f"  {kind:<8} p50 {pct(ts, .5) * 1000:7.1f} ms   p95 {pct(ts, .95) * 1000:7.1f} ms   (n={len(ts)})")
            sys.stdout.flush()
        if args.no_tantivy:
            return
        tantivy_dir = workdir / "tantivy"
        index, t_seconds = build_tantivy(pages[:indexed[0]], tantivy_dir, args.jobs)
        t_size = dir_size(tantivy_dir)
        t_times = time_tantivy(index, queries)
        print(f"tantivy: {n / t_seconds:8.0f} articles/s ({t_seconds:.1f} s), index {t_size / 2**20:.1f} MiB")
        for kind, ts in t_times.items():
            print(f"  {kind:<8} p50 {pct(ts, .5) * 1000:7.2f} ms   p95 {pct(ts, .95) * 1000:7.2f} ms")
        print("ratios whoosh/tantivy: "
              f"indexing time {seconds / t_seconds:.1f}x, size {size / t_size:.1f}x, "
              + ", ".join(f"{k} p50 {pct(w_times[k], .5) / pct(t_times[k], .5):.0f}x p95 "
                          f"{pct(w_times[k], .95) / pct(t_times[k], .95):.0f}x" for k in w_times))
    finally:
        if args.workdir is None:
            shutil.rmtree(workdir, ignore_errors=True)


if __name__ == "__main__":
    main()
