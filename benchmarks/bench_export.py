"""Export benchmark: rows/s and peak RSS per format on a generated archive.

    nice python benchmarks/bench_export.py --sizes 10000,100000 [--formats jsonl,csv,parquet,sqlite]
    nice python benchmarks/bench_export.py --filtered 2000      # also the query path (needs an index)

The archive is written directly as page JSON with :class:`newsnlp.store.PageStore`
(``--per-page`` articles a page, about 600 characters of text and 16 facts each: 4 entities,
3 figures, 3 dates, 1 official, 1 quoted term, 2 topics, plus the article row), kept under
``--workdir`` between runs.  Each export runs in a fresh child process so that its peak RSS
(VmHWM, else ``resource.getrusage(RUSAGE_SELF).ru_maxrss``) is its own; a flat peak RSS across sizes
shows the export streams.  ``--what`` defaults to every kind for sqlite and to figures
(the largest fact kind) for the one-table formats, plus one articles export as jsonl.

``--filtered N``: also indexes an archive of N articles (Whoosh, slow: ~1-2 ms/article on
the shared machine) and exports with a topic filter that matches about half of them, which
exercises the index path (ids streamed from the index, pages read through a small cache).
"""
from __future__ import annotations

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsnlp.model import (  # noqa: E402
    Article, Block, DateMention, Entity, Figure, Official, Page, QuotedTerm, Topic,
)
from newsnlp.store import PageStore  # noqa: E402

SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平"
PLACES = ["江州", "临川", "北原", "东海", "清河", "云岭", "南平", "西城"]
TOPICS = ["教育", "经济", "社会", "文化", "体育", "卫生", "科技", "政务"]
FILLER = "会议强调，要坚持以人民为中心，扎实推进各项工作落地见效，不断增强群众的获得感和幸福感。"


def make_article(rng: random.Random, n: int) -> Article:
    person = rng.choice(SURNAMES) + rng.choice(GIVEN) + rng.choice(GIVEN)
    place = rng.choice(PLACES)
    org = f"{place}市教育局"
    amount = rng.randint(1, 999) / 10
    lead = f"今年{rng.randint(1, 12)}月，{org}局长{person}表示，全年投入资金{amount}亿元，新建学校{rng.randint(2, 40)}所。"
    paragraphs = [lead] + [FILLER * 2 for _ in range(3)]
    o = lead.index(org)
    p = lead.index(person)
    f = lead.index("亿元") - len(str(amount))
    return Article(
        id=f"bench{n:08d}", headline=[f"{place}推进教育工作{n}"], byline=f"本报记者 {person}", reporters=[person],
        body=[Block("p", t) for t in paragraphs],
        entities=[Entity(org, "org", o, o + len(org)), Entity(person, "person", p, p + len(person)),
                  Entity(place, "place", o, o + len(place)), Entity("该局", "org", 0, 2, refers_to=org)],
        figures=[Figure(f"{amount}亿元", amount * 1e8, "元", False, "资金", f, f + len(str(amount)) + 2),
                 Figure("约20%", 20.0, "%", True, None, 0, 4),
                 Figure("3至5所", 3.0, "所", False, "学校", 5, 9, value_max=5.0)],
        dates=[DateMention("今年", "2022", "year", 0, 2), DateMention("10月", "2022-10", "month", 2, 5),
               DateMention("7月至9月", "2022-07", "period", 6, 11, end="2022-09")],
        officials=[Official(person, "局长", org, lead)],
        quoted_terms=[QuotedTerm("双减", rng.randint(1, 3))],
        topics=[Topic(rng.choice(TOPICS), 0.9), Topic("社会", 0.3)],
    )


def build(root: Path, n_articles: int, per_page: int) -> Path:
    path = root / f"archive-{n_articles}-{per_page}"
    if (path / "pages").is_dir():
        return path
    rng = random.Random(n_articles)
    store = PageStore(path)
    started = time.perf_counter()
    for p in range(0, n_articles, per_page):
        month = 1 + (p // per_page) % 12
        page = Page(source=f"/bench/page-{p:08d}.txt", paper=rng.choice(["江州日报", "临川晚报"]),
                    page=str(1 + p % 8), publication_date=f"2022-{month:02d}-{1 + p % 28:02d}", section="要闻",
                    articles=[make_article(rng, n) for n in range(p, min(p + per_page, n_articles))])
        store.save(page)
    print(f"built {path.name}: {n_articles} articles in {time.perf_counter() - started:.1f} s", flush=True)
    return path


def index(path: Path) -> None:
    """Index ``path`` in a child process (keeps this process, and so the children it starts, small)."""
    if (path / "index").is_dir():
        return
    started = time.perf_counter()
    code = ("import sys; from newsnlp.index import Archive; from newsnlp.store import PageStore; "
            "Archive(sys.argv[1]).add_pages(PageStore(sys.argv[1]).iter_pages())")
    subprocess.run([sys.executable, "-c", code, str(path)], check=True, cwd=ROOT)
    print(f"indexed {path.name} in {time.perf_counter() - started:.1f} s", flush=True)


def child(archive: str, out: str, fmt: str, kinds: list[str], filters: dict) -> None:
    """Run one export in this (fresh) process and print its figures as JSON."""
    from newsnlp.export import export

    started = time.perf_counter()
    report = export(archive, out, kinds=kinds, fmt=fmt, **filters)
    seconds = time.perf_counter() - started
    rows = sum(report.rows.values())
    print(json.dumps({"rows": rows, "articles": report.articles, "seconds": seconds,
                      "maxrss_mb": peak_rss_mb(), "bytes": os.path.getsize(out)}))


def peak_rss_mb() -> float:
    """This process's peak RSS.  Linux keeps ``ru_maxrss`` across fork+exec (a child would
    report its parent's peak if higher), so VmHWM of the new image is read when available."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(archive: Path, out_dir: Path, fmt: str, kinds: list[str], filters: dict | None = None) -> dict:
    out = out_dir / f"out.{fmt}"
    cmd = [sys.executable, __file__, "--child", json.dumps([str(archive), str(out), fmt, kinds, filters or {}])]
    done = subprocess.run(cmd, capture_output=True, text=True, check=True)
    result = json.loads(done.stdout.strip().splitlines()[-1])
    out.unlink(missing_ok=True)
    return result


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", default="10000,100000", help="Archive sizes in articles, comma-separated.")
    ap.add_argument("--per-page", type=int, default=20)
    ap.add_argument("--formats", default="jsonl,csv,parquet,sqlite")
    ap.add_argument("--filtered", type=int, default=0, metavar="N", help="Also time a filtered export on N indexed articles.")
    ap.add_argument("--workdir", type=Path, default=Path(tempfile.gettempdir()) / "newsnlp-bench-export")
    ap.add_argument("--child", help=argparse.SUPPRESS)
    args = ap.parse_args()
    if args.child:
        child(*json.loads(args.child))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    print(f"{'articles':>9} {'format':8} {'what':12} {'rows':>9} {'s':>7} {'rows/s':>9} {'peak RSS MB':>11} {'MB out':>7}")

    def show(n, fmt, what, r):
        print(f"{n:>9} {fmt:8} {what:12} {r['rows']:>9} {r['seconds']:>7.1f} {r['rows'] / r['seconds']:>9.0f} "
              f"{r['maxrss_mb']:>11.0f} {r['bytes'] / 2**20:>7.1f}", flush=True)

    for n in [int(x) for x in args.sizes.split(",")]:
        archive = build(args.workdir, n, args.per_page)
        for fmt in args.formats.split(","):
            kinds = ["articles", "officials", "figures", "dates", "entities", "quoted_terms", "topics"] \
                if fmt == "sqlite" else ["figures"]
            show(n, fmt, "all" if fmt == "sqlite" else kinds[0], run(archive, args.workdir, fmt, kinds))
        if "jsonl" in args.formats:
            show(n, "jsonl", "articles", run(archive, args.workdir, "jsonl", ["articles"]))
    if args.filtered:
        archive = build(args.workdir, args.filtered, args.per_page)
        index(archive)
        for fmt in args.formats.split(","):
            kinds = ["figures"] if fmt != "sqlite" else ["articles", "figures"]
            show(args.filtered, fmt, "topic filter", run(archive, args.workdir, fmt, kinds, {"topic": ["教育", "经济"]}))


if __name__ == "__main__":
    main()
