"""Do snippets show what was searched?  Quoted phrases over an archive of generated pages.

    python benchmarks/bench_snippets.py --pages 40 --phrases 300 --seed 1 [--chars 6]

Lays People's Daily (January 1998) articles out as pages (:func:`newsnlp.testing.generate_page`),
indexes them (no extraction: the text fields are what matter), then for random ``--chars``-character
runs of Chinese text taken from the indexed articles' bodies searches ``"RUN"`` and reports:
how often the article the run came from is found, and how often its hit's snippet contains the
run itself (compared after the index's normalisation).  Prints figures, asserts nothing.
"""
from __future__ import annotations

import argparse
import random
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsnlp import parse_text  # noqa: E402
from newsnlp.index import Archive  # noqa: E402
from newsnlp.index.analysis import normalize  # noqa: E402
from newsnlp.testing import generate_page, load_peoples_daily_articles  # noqa: E402

DEFAULT_DATA = ROOT.parent / "shared" / "data" / "peoples_daily_1998_01" / "199801.txt"
_RUN = re.compile(r"[\u4e00-\u9fff]+")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=40)
    parser.add_argument("--phrases", type=int, default=300)
    parser.add_argument("--chars", type=int, default=6)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA)
    args = parser.parse_args(argv)
    if not args.data.is_file():
        parser.error(f"{args.data} not found (pass --data PATH)")
    rng = random.Random(args.seed)
    articles = load_peoples_daily_articles(args.data)
    with tempfile.TemporaryDirectory() as tmp:
        archive = Archive(Path(tmp) / "archive")
        pages = []
        for i in range(args.pages):
            raw, _ = generate_page(articles, rng=rng, source=f"generated-{args.seed}-{i:03d}")
            pages.append(parse_text(raw, source=f"/generated/{args.seed}/{i:03d}.txt", analyze=False))
        archive.add_pages(pages)
        bodies = [(a.id, a.text) for p in pages for a in p.articles if len(a.text) > 200]
        found = shown = asked = 0
        missing_examples = []
        started = time.perf_counter()
        while asked < args.phrases:
            article_id, text = rng.choice(bodies)
            runs = [m for m in _RUN.finditer(text) if len(m.group()) >= args.chars]
            if not runs:
                continue
            run = rng.choice(runs).group()
            start = rng.randint(0, len(run) - args.chars)
            phrase = run[start:start + args.chars]
            asked += 1
            result = archive.search(f'"{phrase}"', limit=1000)
            hit = next((h for h in result.hits if h.id == article_id), None)
            if hit is None:
                continue
            found += 1
            if normalize(phrase) in normalize(hit.snippet):
                shown += 1
            elif len(missing_examples) < 5:
                missing_examples.append((phrase, hit.marked_snippet()))
        seconds = time.perf_counter() - started
    print(f"{args.pages} generated pages, {len(bodies)} articles, {asked} quoted {args.chars}-character phrases "
          f"(seed {args.seed}), {seconds / max(asked, 1) * 1000:.1f} ms per search")
    print(f"{'article found':28} {found / asked:8.4f}  ({found}/{asked})")
    print(f"{'phrase shown in its snippet':28} {shown / max(found, 1):8.4f}  ({shown}/{found})")
    for phrase, snippet in missing_examples:
        print(f"  not shown: {phrase}  in  {snippet}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
