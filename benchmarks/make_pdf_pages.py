"""Render generated newspaper pages to PDF, with their gold, for testing PDF readers.

    python benchmarks/make_pdf_pages.py --family A --n 20 --seed 1 --out /tmp/pdf-a
    python benchmarks/make_pdf_pages.py --family B --part heldout --n 20 --seed 1 --out /tmp/pdf-b --multi

Gold pages come from :func:`newsnlp.testing.generate_page` (family A, People's Daily
1998; ``--part`` does not apply) or :func:`newsnlp.testing_b.generate_page_b` (family B,
People's Daily 2019, articles of ``--part`` by :func:`newsnlp.testing_b.split_articles`)
and are set by :func:`newsnlp.testing_pdf.render_gold_pdf`.  Writes ``DIR/page-NNN.pdf``
and ``DIR/page-NNN.gold.json`` per page, or with ``--multi`` one ``DIR/pages.pdf`` (page
NNN is its NNN-th page) and the gold files.  The gold is the generator's, plus
``page_size``, ``layout``, ``header_lines`` and per article ``bbox``, ``boxes``,
``lines`` and ``caption_credits`` (points, origin top-left, y downwards).
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

from newsnlp.testing_pdf import LAYOUT_STYLES, render_gold_pdf  # noqa: E402

DEFAULT_DATA_A = ROOT.parent / "shared" / "data" / "peoples_daily_1998_01" / "199801.txt"
DEFAULT_DATA_B = ROOT.parent / "shared" / "data" / "peoples_daily_2019"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--family", choices=("A", "B"), default="A")
    parser.add_argument("--part", choices=("dev", "heldout", "all"), default="heldout",
                        help="family B: which 2019 articles to lay out [heldout]")
    parser.add_argument("--n", type=int, default=20, help="number of pages [20]")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--out", type=Path, required=True, help="output folder (created)")
    parser.add_argument("--multi", action="store_true", help="one pages.pdf holding all pages")
    parser.add_argument("--style", choices=LAYOUT_STYLES, action="append",
                        help="only this layout style (repeatable; default: all)")
    parser.add_argument("--data", type=Path, help="199801.txt (A) or the peoples_daily_2019 folder (B)")
    args = parser.parse_args(argv)

    start = time.perf_counter()
    if args.family == "A":
        from newsnlp.testing import generate_page, load_peoples_daily_articles

        articles = load_peoples_daily_articles(args.data or DEFAULT_DATA_A)
        generate = generate_page
    else:
        from newsnlp.testing_b import generate_page_b, load_2019_articles, split_articles

        articles = split_articles(load_2019_articles(args.data or DEFAULT_DATA_B), args.part)
        generate = generate_page_b
    loaded = time.perf_counter()
    golds = []
    for i in range(args.n):
        rng = random.Random(f"{args.family}:{args.seed}:{i}")
        _, gold = generate(articles, rng=rng, source=f"generated-{args.family}-{args.seed}-{i + 1:03d}")
        golds.append(gold)
    generated = time.perf_counter()

    args.out.mkdir(parents=True, exist_ok=True)
    if args.multi:
        pdf, out = render_gold_pdf(golds, seed=args.seed, styles=args.style)
        (args.out / "pages.pdf").write_bytes(pdf)
    else:
        out = []
        for i, gold in enumerate(golds):
            # page i of a one-page render is drawn as page i of the whole set would be
            pdf, page_gold = render_gold_pdf([gold], seed=args.seed * 1_000_003 + i, styles=args.style)
            (args.out / f"page-{i + 1:03d}.pdf").write_bytes(pdf)
            out += page_gold
    for i, gold in enumerate(out):
        (args.out / f"page-{i + 1:03d}.gold.json").write_text(
            json.dumps(gold, ensure_ascii=False, indent=1), encoding="utf-8")
    done = time.perf_counter()
    styles = {s: sum(g["layout"]["style"] == s for g in out) for s in LAYOUT_STYLES}
    print(f"{len(out)} pages (family {args.family}{'' if args.family == 'A' else ', ' + args.part}; "
          f"{', '.join(f'{k} {v}' for k, v in styles.items())}) -> {args.out}")
    print(f"load {loaded - start:.1f} s, generate {generated - loaded:.2f} s, "
          f"render+write {done - generated:.2f} s ({1000 * (done - generated) / max(1, len(out)):.0f} ms/page)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
