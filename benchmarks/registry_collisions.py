"""How often names collide: build a registry from every People's Daily 2019 article and count
the names it resolves to two or more people (real namesakes, or one person split apart).

    python benchmarks/registry_collisions.py [--data ../shared/data/peoples_daily_2019] [--top 20]
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsnlp.registry_eval import build_registry  # noqa: E402


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "peoples_daily_2019")
    parser.add_argument("--top", type=int, default=20, help="names to list with their people's posts")
    args = parser.parse_args(argv)
    files = sorted(args.data.glob("rmrb_2019_*_articles.jsonl.gz"))
    if not files:
        parser.error(f"no rmrb_2019_*_articles.jsonl.gz in {args.data}")
    articles = []
    for f in files:
        with gzip.open(f, "rt", encoding="utf-8") as fh:
            articles.extend(json.loads(line) for line in fh)
    started = time.perf_counter()
    people = build_registry(articles)
    names = Counter(p["name"] for p in people)
    split = {n: c for n, c in names.items() if c > 1}
    print(f"{len(articles)} articles in {time.perf_counter() - started:.0f} s: {len(people)} people from {len(names)} "
          f"names; {len(split)} names ({100 * len(split) / max(1, len(names)):.1f}%) resolve to two or more people "
          f"({sum(split.values())} people)")
    for name, count in sorted(split.items(), key=lambda x: -x[1])[: args.top]:
        posts = ["; ".join(f"{x['title']}/{x['org'] or '-'}" for x in p["posts"][:3]) for p in people if p["name"] == name]
        print(f"  {name} x{count}: " + " | ".join(posts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
