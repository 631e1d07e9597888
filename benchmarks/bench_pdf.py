"""PDF reading speed and memory: pages per second on one core, a 300-page PDF in bounded memory.

    python benchmarks/bench_pdf.py [--pages 40] [--long 300] [--pdfplumber]

Pages are generated (:mod:`newsnlp.testing`, People's Daily 1998 articles, or the made-up
page of tests/test_pdf.py when ../shared is absent) and rendered to PDF by
:mod:`newsnlp.testing_pdf`.  Printed:

- ``read``: PDFium text layer to lines with geometry (:func:`newsnlp.pdf.read_pdf`);
- ``parse``: read + layout + split into articles (``parse_pages(..., analyze=False)``),
  the "before extraction" figure of the issue;
- with ``--pdfplumber``: the same pages' characters through pdfplumber (pdfminer.six), the
  MIT alternative, for the choice of library;
- a PDF of ``--long`` pages parsed page by page: pages/s, and the process's resident
  memory after its first page and at most over all of them (Linux ``/proc``).
"""
from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsnlp.pdf import read_pdf  # noqa: E402
from newsnlp.pipeline import parse_pages  # noqa: E402
from newsnlp.testing_pdf import render_gold_pdf  # noqa: E402

DATA_A = ROOT.parent / "shared" / "data" / "peoples_daily_1998_01" / "199801.txt"


def gold_pages(n: int, seed: int) -> list[dict]:
    if DATA_A.is_file():
        from newsnlp.testing import generate_page, load_peoples_daily_articles

        articles = load_peoples_daily_articles(DATA_A)
        rng = random.Random(seed)
        return [generate_page(articles, rng=rng, source=f"bench-{i}")[1] for i in range(n)]
    para = "新学期开始以来，河湾镇中心小学组织教师走进学生家庭，了解孩子们的学习和生活情况。" * 6
    article = {"headline": ["老师们走进千家万户"], "kicker": None, "subtitle": None, "dateline": "本报讯",
               "byline": "记者 林晓东", "reporters": ["林晓东"], "body": [{"kind": "p", "text": para}] * 5,
               "captions": [], "continuation": None}
    return [{"source": f"bench-{i}", "paper": "河湾日报", "page": "2", "publication_date": "2023-04-06",
             "section": None, "furniture": ["河湾日报 2023年4月6日"], "articles": [article] * 4} for i in range(n)]


def _rss() -> int:
    """Resident memory of this process now (PDFium's own memory included), in bytes."""
    with open("/proc/self/statm") as fh:
        return int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def timed(fn) -> float:
    started = time.perf_counter()
    fn()
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--long", type=int, default=300, help="pages of the long PDF [300]")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--pdfplumber", action="store_true", help="also time pdfplumber on the same pages")
    args = parser.parse_args(argv)
    try:
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})  # one core
    except (AttributeError, OSError):
        pass
    work = Path(tempfile.mkdtemp(prefix="newsnlp-bench-pdf-"))
    golds = gold_pages(args.pages, args.seed)
    data, _ = render_gold_pdf(golds, seed=args.seed)
    pdf = work / "pages.pdf"
    pdf.write_bytes(data)
    chars = sum(len(ln.text) for page in read_pdf(pdf) for ln in page.lines)
    t_read = min(timed(lambda: [None for _ in read_pdf(pdf)]) for _ in range(3))
    t_parse = min(timed(lambda: list(parse_pages(pdf, analyze=False))) for _ in range(3))
    print(f"{args.pages} generated pages ({chars / args.pages:.0f} characters a page), one core:")
    print(f"  read  (PDFium text layer -> lines)    {args.pages / t_read:7.1f} pages/s")
    print(f"  parse (read + layout + articles)      {args.pages / t_parse:7.1f} pages/s")
    if args.pdfplumber:
        import pdfplumber

        def plumb():
            with pdfplumber.open(pdf) as doc:
                for page in doc.pages:
                    page.chars  # noqa: B018  (the characters with their boxes, as we read them)
                    page.flush_cache()

        t_plumb = timed(plumb)
        print(f"  pdfplumber (characters only)          {args.pages / t_plumb:7.1f} pages/s")

    long_pdf = work / "long.pdf"
    long_pdf.write_bytes(render_gold_pdf((golds * (args.long // len(golds) + 1))[: args.long], seed=args.seed)[0])
    pages = parse_pages(long_pdf, analyze=False)
    started = time.perf_counter()
    next(pages)
    rss_one = rss = _rss()
    count = 1
    for _ in pages:
        count += 1
        rss = max(rss, _rss())
    seconds = time.perf_counter() - started
    print(f"{count}-page PDF ({long_pdf.stat().st_size / 1e6:.1f} MB) parsed page by page: {count / seconds:.1f} pages/s; "
          f"resident memory after the first page {rss_one / 1e6:.0f} MB, at most {rss / 1e6:.0f} MB over all pages")
    for p in work.iterdir():
        p.unlink()
    work.rmdir()
    return 0


if __name__ == "__main__":
    sys.exit(main())
