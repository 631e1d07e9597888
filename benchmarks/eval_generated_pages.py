"""Parse generated OCR-style pages and score them against their gold.

    python benchmarks/eval_generated_pages.py --n 50 --seed 1 [--data PATH] [--dump DIR]
    python benchmarks/eval_generated_pages.py --family B --part heldout --n 50
    python benchmarks/eval_generated_pages.py --family C --n 150

Family A (default): pages laid out by :func:`newsnlp.testing.generate_page` from
People's Daily (January 1998) articles.  Family B: pages laid out by
:func:`newsnlp.testing_b.generate_page_b` from People's Daily 2019 articles
(``--data`` is then the folder ``peoples_daily_2019``; ``--part dev|heldout|all``
picks the articles, by :func:`newsnlp.testing_b.split_articles`; default heldout).
Family C: pages laid out by :func:`newsnlp.testing_c.generate_page_c` from the 2019
articles (``--data``, ``--part`` as for B) mixed with the 1998 articles
(``--data-1998``, default ``199801.txt``); report-only, never tune on it.
Pages are parsed with ``newsnlp.parse_text(raw, analyze=False)`` and
scored with :func:`newsnlp.evaluate.score_page`.  Prints the mean of each metric over
pages and the pooled figure (summed counts, so pages without captions or reporters do
not count as perfect); ``--dump DIR`` writes ``page-NNN.txt`` (raw), ``.gold.json``
and ``.pred.json``.
"""
from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsnlp import parse_text  # noqa: E402
from newsnlp.evaluate import format_table, mean_scores, score_page  # noqa: E402
from newsnlp.testing import generate_page, load_peoples_daily_articles  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "peoples_daily_1998_01" / "199801.txt"
DEFAULT_DATA_B = ROOT.parent / "shared" / "data" / "peoples_daily_2019"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=50, help="number of pages [50]")
    parser.add_argument("--seed", type=int, default=1, help="random seed [1]")
    parser.add_argument("--family", choices=("A", "B", "C"), default="A",
                        help="A: People's Daily 1998 layout (default); B: People's Daily 2019, family B layout; "
                             "C: 2019 and 1998 articles, family C layout (report-only)")
    parser.add_argument("--part", choices=("dev", "heldout", "all"), default="heldout",
                        help="families B and C: which 2019 articles to lay out [heldout]")
    parser.add_argument("--data", type=Path, default=None,
                        help="A: People's Daily 199801.txt; B, C: the peoples_daily_2019 folder")
    parser.add_argument("--data-1998", type=Path, default=None,
                        help="family C: People's Daily 199801.txt [../shared/data/peoples_daily_1998_01/199801.txt]")
    parser.add_argument("--dump", type=Path, default=None, help="write raw pages, gold and predictions here")
    args = parser.parse_args(argv)
    if args.family == "A":
        data = args.data or DEFAULT_DATA
        if not data.is_file():
            parser.error(f"{data} not found (pass --data PATH)")
        articles = load_peoples_daily_articles(data)
        generate, label = generate_page, ""
    elif args.family == "B":
        from newsnlp.testing_b import generate_page_b, load_2019_articles, split_articles

        data = args.data or DEFAULT_DATA_B
        if not data.is_dir():
            parser.error(f"{data} not found (pass --data FOLDER)")
        articles = split_articles(load_2019_articles(data), args.part)
        generate, label = generate_page_b, f"family B ({args.part}), "
    else:
        from newsnlp.testing_b import load_2019_articles, split_articles
        from newsnlp.testing_c import generate_page_c

        data = args.data or DEFAULT_DATA_B
        data_1998 = args.data_1998 or DEFAULT_DATA
        if not data.is_dir():
            parser.error(f"{data} not found (pass --data FOLDER)")
        if not data_1998.is_file():
            parser.error(f"{data_1998} not found (pass --data-1998 PATH)")
        records_2019 = split_articles(load_2019_articles(data), args.part)
        records_1998 = load_peoples_daily_articles(data_1998)
        articles = records_2019 + records_1998

        def generate(_articles, *, rng, source):
            return generate_page_c(records_2019, records_1998, rng=rng, source=source)

        label = f"family C ({args.part} 2019 + 1998, report-only), "

    rng = random.Random(args.seed)
    if args.dump:
        args.dump.mkdir(parents=True, exist_ok=True)
    scores, failures, parse_seconds = [], 0, 0.0
    for i in range(1, args.n + 1):
        prefix = {"A": "generated-", "B": "generated-b", "C": "generated-c"}[args.family]
        raw, gold = generate(articles, rng=rng, source=f"{prefix}{args.seed}-{i:03d}")
        started = time.perf_counter()
        try:
            pred = parse_text(raw, source=gold["source"], analyze=False).to_dict()
        except Exception as exc:  # a crash is a result too: score it as an empty page
            failures += 1
            print(f"page {i}: parse failed: {exc!r}", file=sys.stderr)
            pred = {"articles": []}
        parse_seconds += time.perf_counter() - started
        scores.append(score_page(pred, gold))
        if args.dump:
            stem = args.dump / f"page-{i:03d}"
            stem.with_suffix(".txt").write_text(raw, encoding="utf-8")
            for suffix, obj in ((".gold.json", gold), (".pred.json", pred)):
                Path(str(stem) + suffix).write_text(json.dumps(obj, ensure_ascii=False, indent=1), encoding="utf-8")

    mean = mean_scores(scores)
    print(f"{args.n} generated pages, {label}seed {args.seed}, {len(articles)} source articles, "
          f"{failures} parse failures, parse {parse_seconds:.2f} s")
    print(f"articles: {mean['articles_pred']} predicted / {mean['articles_gold']} gold")
    print(format_table(mean))
    return 0


if __name__ == "__main__":
    sys.exit(main())
