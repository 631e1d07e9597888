"""Whoosh vs. Dask + OpenSearch, end to end, on the same generated pages (issue #19).

    nice python benchmarks/bench_engines.py --articles 100000 [--workers 2] [--queries 200] [--keep DIR]
    nice python benchmarks/bench_engines.py --keep DIR --reuse     # the queries again, no ingest
    nice python benchmarks/bench_engines.py --keep DIR --reuse --opensearch-only   # after more pages
                                                                   # were ingested into DIR/opensearch

Pages are written as text files from People's Daily 1998 articles (../shared/data, as in
bench_index.py; replicated with shifted dates and other paper names to reach ``--articles``),
five articles a page, each with a serial number in its first paragraph so that every article is
a distinct text.  Then:

(a) ``newsnlp ingest`` into a Whoosh archive with ``--jobs WORKERS`` processes;
(b) ``newsnlp ingest --dask local:WORKERS --engine opensearch`` into one OpenSearch node started
    here (newsnlp.testing_opensearch, heap ``--heap``), the workers bulk-indexing.

Both indexes are then optimised (``newsnlp optimize``: one segment, as after any bulk load),
and it prints articles/s end to end, index sizes, query latency p50/p95 through
``Archive.search`` (word, phrase, filtered, faceted; OpenSearch's own ``took`` beside it), and
for the query set the totals of both engines side by side: how many are identical, how many
have the same top hit, and why each other top hit differs: the two tops score the same in both
engines (a tie, broken by index order in Whoosh and page order in OpenSearch), the same within
1 % in one engine (field lengths are quantised differently), or differently in both (Whoosh's
BM25F and Lucene's BM25 weigh idf and several fields differently), with the score gaps.
"""
from __future__ import annotations

import argparse
import json
import os
import random
import re
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from bench_index import DATA, RUNS, dir_size, load_articles, pct, shift_month  # noqa: E402

from newsnlp import testing_opensearch as tos  # noqa: E402
from newsnlp.index import Archive  # noqa: E402
from newsnlp.index.opensearch import _schema, force_merge, to_dsl  # noqa: E402
from newsnlp.index.store import optimize  # noqa: E402
from newsnlp.index.docsets import ranked_docs  # noqa: E402
from newsnlp.index.search import parse_query  # noqa: E402
from newsnlp.index.analysis import word_tokens  # noqa: E402
from newsnlp.ingest import ingest  # noqa: E402


def write_pages(articles: list[dict], n: int, folder: Path, per_page: int = 5) -> int:
    """Text pages holding ``n`` articles; returns the number of pages."""
    folder.mkdir(parents=True, exist_ok=True)
    serial = pages = 0
    copy = 0
    while serial < n:
        for start in range(0, len(articles), per_page):
            group = articles[start:start + per_page][: n - serial]
            if not group:
                break
            date = shift_month(group[0]["date"], copy) if copy else group[0]["date"]
            parts = []
            for a in group:
                serial += 1
                paragraphs = [f"（稿号{serial}）{a['paragraphs'][0]}", *a["paragraphs"][1:]]
                parts += [a["headline"], "", *(f"　　{p}" for p in paragraphs), ""]
            (folder / f"{copy:02d}-{start:05d}-{date}.txt").write_text("\n".join(parts), encoding="utf-8")
            pages += 1
            if serial >= n:
                break
        copy += 1
    return pages


def query_set(articles: list[dict], n: int, seed: int = 19) -> list[tuple[str, str, dict]]:
    """``(kind, query, options)``: word, phrase, filtered and faceted queries drawn from the texts."""
    rng = random.Random(seed)
    out: list[tuple[str, str, dict]] = []
    kinds = ["word"] * 2 + ["phrase", "filtered", "faceted"]
    while len(out) < n:
        kind = kinds[len(out) % len(kinds)]
        a = rng.choice(articles)
        text = "".join(a["paragraphs"])
        words = [w for w in word_tokens(text) if 2 <= len(w) <= 4 and not re.search(r"\d", w)]
        if not words:
            continue
        if kind == "phrase":
            runs = RUNS.findall(text)
            if not runs:
                continue
            run = rng.choice(runs)
            start = rng.randrange(0, max(1, len(run) - 6))
            out.append((kind, f'"{run[start:start + rng.randint(4, 6)]}"', {}))
        elif kind == "filtered":
            month = shift_month("1998-01-15", rng.randrange(0, 24))[:7]
            options = {"date_from": month, "date_to": month} if rng.random() < 0.5 else {"date_from": month[:4]}
            out.append((kind, rng.choice(words), options))
        elif kind == "faceted":
            out.append((kind, rng.choice(words), {"facets": ["topic", "person", "place", "year"]}))
        else:
            out.append((kind, rng.choice(words), {}))
    return out


def run_queries(archive: Archive, queries, *, max_passes: int = 12) -> tuple[list[dict], int]:
    """Each query's time, total, top hit and facets, from the last of passes over the set repeated
    until the median stops falling (within 3 %; a new node JIT-compiles and fills its caches for a
    thousand requests or so), and the number of passes."""
    results: list[dict] = []
    medians: list[float] = []
    while len(medians) < max_passes:
        results = []
        for kind, q, options in queries:
            started = time.perf_counter()
            r = archive.search(q, limit=10, **options)
            results.append({"kind": kind, "ms": (time.perf_counter() - started) * 1000, "total": r.total,
                            "top": r.hits[0].id if r.hits else None,
                            "facets": {k: [(f.value, f.count) for f in v] for k, v in r.facets.items()}})
        medians.append(pct([r["ms"] for r in results], 0.5))
        if len(medians) >= 3 and medians[-1] > 0.97 * min(medians[:-1]):
            break
    return results, len(medians)


def print_took(b: Archive, queries) -> None:
    took = []
    for kind, q, options in [x for x in queries if x[0] == "word"]:
        body = {"query": to_dsl(parse_query(q, _schema())), "size": 10, "track_total_hits": True}
        took.append(b.cluster.call("search", index=b.index, body=body)["took"])
    print(f"  opensearch word queries, server time ('took'): p50 {pct(took, 0.5)} ms  p95 {pct(took, 0.95)} ms")


def top_gaps(a: Archive, b: Archive, q: str, options: dict, whoosh_top: str, opensearch_top: str) -> tuple[float, float]:
    """How far below each engine's top hit the other engine's top hit scores, as a fraction."""
    filters = {k: v for k, v in options.items() if k != "facets"}
    searcher, parsed, _ = a._query_and_filter(q, filters)
    scores = ranked_docs(searcher, parsed)
    ranked = {i: scores.get(searcher.document_number(id=i), 0.0) for i in (whoosh_top, opensearch_top)}
    body = {"query": {"bool": {"must": [b._search_body(parse_query(q, _schema()), filters)],
                               "filter": [{"ids": {"values": [whoosh_top, opensearch_top]}}]}}, "size": 2}
    scored = {h["_id"]: h["_score"] for h in b.cluster.call("search", index=b.index, body=body)["hits"]["hits"]}
    return ((ranked[whoosh_top] - ranked.get(opensearch_top, 0.0)) / ranked[whoosh_top],
            (scored[opensearch_top] - scored.get(whoosh_top, 0.0)) / scored[opensearch_top])


def latency_table(name: str, results: list[dict]) -> list[str]:
    rows = []
    for kind in ("word", "phrase", "filtered", "faceted"):
        ms = [r["ms"] for r in results if r["kind"] == kind]
        rows.append(f"  {name:<10} {kind:<9} p50 {pct(ms, 0.5):7.1f} ms   p95 {pct(ms, 0.95):7.1f} ms   (n={len(ms)})")
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--heap", default="1g")
    parser.add_argument("--keep", type=Path, default=None,
                        help="work folder to keep, with the node's data (default: a temporary one)")
    parser.add_argument("--reuse", action="store_true",
                        help="with --keep: query the archives and node kept by an earlier run, no ingest")
    parser.add_argument("--opensearch-only", action="store_true",
                        help="with --reuse: the OpenSearch archive's query latency alone (it may hold more articles)")
    args = parser.parse_args()
    if not DATA.is_file():
        print(f"needs {DATA}", file=sys.stderr)
        return 2
    why = tos.available()
    if why:
        print(why, file=sys.stderr)
        return 2
    work = args.keep or Path(tempfile.mkdtemp(prefix="bench-engines-"))
    articles = load_articles()
    pages_dir = work / "pages"
    if not pages_dir.is_dir():
        n_pages = write_pages(articles, args.articles, pages_dir)
    else:
        n_pages = len(list(pages_dir.glob("*.txt")))
    print(f"{args.articles} articles on {n_pages} text pages; {args.workers} workers; {os.cpu_count()} cores")

    reuse = args.reuse and args.keep is not None and (work / "node").is_dir() and (work / "whoosh").is_dir()
    if args.reuse and not reuse:
        print(f"--reuse needs the whoosh archive and node kept in {work} by an earlier --keep run", file=sys.stderr)
        return 2
    if not reuse:  # (a) Whoosh, the default path
        shutil.rmtree(work / "whoosh", ignore_errors=True)
        started = time.monotonic()
        rep_a = ingest([pages_dir], work / "whoosh", jobs=args.workers)
        secs_a = time.monotonic() - started

    # (b) Dask local cluster + one OpenSearch node
    os.environ["NEWSNLP_OPENSEARCH_HEAP"] = args.heap
    tos.HEAP = args.heap
    node_dir = work / "node" if args.keep else tos.node_dir()
    if not reuse:
        shutil.rmtree(node_dir, ignore_errors=True)
    ports = [9271, 9371]
    node = tos.Node(node_dir, *ports).start()
    try:
        tos.wait_for_health(node.url)
        if not reuse:
            shutil.rmtree(work / "opensearch", ignore_errors=True)
            started = time.monotonic()
            rep_b = ingest([pages_dir], work / "opensearch", dask=f"local:{args.workers}", engine="opensearch",
                           opensearch_url=node.url, opensearch_index="newsnlp-bench")
            secs_b = time.monotonic() - started
        a, b = Archive(work / "whoosh"), Archive(work / "opensearch")
        b.cluster.call("indices.flush", index=b.index)
        stats = b.cluster.call("indices.stats", index=b.index)
        os_bytes = stats["_all"]["primaries"]["store"]["size_in_bytes"]
        if not reuse:
            print(f"(a) whoosh               {rep_a.articles:>7} articles  {secs_a:7.1f} s  {rep_a.articles / secs_a:7.1f} articles/s"
                  f"  index {dir_size(work / 'whoosh' / 'index') / 2**20:7.1f} MiB")
            print(f"(b) dask + opensearch    {rep_b.articles:>7} articles  {secs_b:7.1f} s  {rep_b.articles / secs_b:7.1f} articles/s"
                  f"  index {os_bytes / 2**20:7.1f} MiB (primaries)")
            print(f"    failures: whoosh {len(rep_a.failures)}, dask {len(rep_b.failures)}")
        queries = query_set(articles, args.queries)
        if reuse and args.opensearch_only:
            print(f"opensearch: {b.stats().articles} articles; optimised in {force_merge(work / 'opensearch'):.1f} s")
            res_b, passes_b = run_queries(Archive(work / "opensearch"), queries)
            print(f"query latency through Archive.search (10 hits with snippets; the last of {passes_b} passes):")
            print("\n".join(latency_table("opensearch", res_b)))
            print_took(b, queries)
            return 0
        print(f"optimised (one segment): whoosh {optimize(work / 'whoosh'):.1f} s, opensearch {force_merge(work / 'opensearch'):.1f} s")
        a, b = Archive(work / "whoosh"), Archive(work / "opensearch")
        (res_a, passes_a), (res_b, passes_b) = run_queries(a, queries), run_queries(b, queries)
        print(f"query latency through Archive.search (10 hits with snippets; the last of {passes_a} passes "
              f"for whoosh, {passes_b} for opensearch, once the median stopped falling):")
        for line in latency_table("whoosh", res_a) + latency_table("opensearch", res_b):
            print(line)
        print_took(b, queries)

        same_total = sum(x["total"] == y["total"] for x, y in zip(res_a, res_b))
        same_top = sum(x["top"] == y["top"] for x, y in zip(res_a, res_b))
        same_facets = sum(x["facets"] == y["facets"] for x, y in zip(res_a, res_b) if x["kind"] == "faceted")
        n_faceted = sum(x["kind"] == "faceted" for x in res_a)
        print(f"{len(queries)} queries: identical totals {same_total}, same top hit {same_top}, "
              f"identical facets {same_facets}/{n_faceted}")
        reasons: dict[str, int] = {}
        for (kind, q, o), x, y in zip(queries, res_a, res_b):
            if x["top"] != y["top"] and x["top"] and y["top"]:
                gaps = top_gaps(a, b, q, o, x["top"], y["top"])
                y["gaps"] = gaps
                reason = ("tie in both engines" if max(gaps) == 0 else
                          "tie or within 1 % in one engine" if min(gaps) < 0.01 else "scored differently by both")
                reasons[reason] = reasons.get(reason, 0) + 1
                if reason == "scored differently by both":
                    print(f"  scored differently: {q} {json.dumps(o, ensure_ascii=False)}: the other engine's top "
                          f"scores {gaps[0]:.1%} below Whoosh's top in Whoosh, {gaps[1]:.1%} below OpenSearch's in OpenSearch")
        print("  other top hits: " + ", ".join(f"{n} {why}" for why, n in sorted(reasons.items())))
        diffs = [{"query": q, "options": o, "whoosh": (x["total"], x["top"]), "opensearch": (y["total"], y["top"]),
                  "score_gaps": y.get("gaps")}
                 for (kind, q, o), x, y in zip(queries, res_a, res_b) if x["total"] != y["total"] or x["top"] != y["top"]]
        for d in diffs:
            if d["whoosh"][0] != d["opensearch"][0]:
                print("  total differs:", json.dumps(d, ensure_ascii=False))
        (work / "engine_diffs.json").write_text(json.dumps(diffs, ensure_ascii=False, indent=1), encoding="utf-8")
        print(f"differences written to {work / 'engine_diffs.json'}")
    finally:
        node.stop()
        if args.keep is None:
            shutil.rmtree(node_dir, ignore_errors=True)
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
