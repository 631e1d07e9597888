"""Speed of the whole extraction vs jieba segmentation alone, on one core.

    nice python benchmarks/bench_extract.py [--articles 300] [--data ../shared/data/peoples_daily_1998_01]

Articles are People's Daily January 1998 (199801_entities.jsonl): paragraphs joined by
article id ``YYYYMMDD-PP-AAA``.  Prints articles/s for the five stages together (as
:func:`newsnlp.extract.analyze` runs them), the share of each stage, jieba precise-mode
segmentation alone on the same texts, and the ratio (target: at most 3x).
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing


def load_articles(data_dir: Path, limit: int) -> list[str]:
    paragraphs: dict[str, list[str]] = defaultdict(list)
    with open(data_dir / "199801_entities.jsonl", encoding="utf-8") as f:
        for line in f:
            record = json.loads(line)
            article_id = record["id"].rsplit("-", 1)[0]
            if article_id not in paragraphs and len(paragraphs) == limit:
                break
            paragraphs[article_id].append(record["text"])
    return ["\n".join(p) for p in paragraphs.values()]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "peoples_daily_1998_01")
    parser.add_argument("--date", default="1998-01-15", help="publication date passed to dates()")
    args = parser.parse_args()

    from newsnlp import extract, segment

    texts = load_articles(args.data, args.articles)
    chars = sum(map(len, texts))
    found: dict[str, list] = {}  # as in analyze(): officials reuses the entities found
    stages = {
        "entities": lambda t: found.__setitem__("entities", extract.entities(t)),
        "figures": extract.figures,
        "dates": lambda t: extract.dates(t, publication_date=args.date),
        "officials": lambda t: extract.officials(t, entities=found["entities"]),
        "quoted_terms": extract.quoted_terms,
    }
    for fn in stages.values():  # load models and dictionaries outside the timing
        fn("1998年1月1日，国务院副总理李岚清出席“希望工程”“双减”“县管校聘”活动，捐款3万元。")
    plain = segment.plain_tokenizer()
    plain.lcut("预热")

    # Segmentation and extraction alternate per article, so that load from other processes
    # on the machine falls on both alike.
    seg_seconds = 0.0
    spent = dict.fromkeys(stages, 0.0)
    for text in texts:
        t0 = time.perf_counter()
        plain.lcut(text)
        seg_seconds += time.perf_counter() - t0
        for name, fn in stages.items():
            t0 = time.perf_counter()
            fn(text)
            spent[name] += time.perf_counter() - t0
    total = sum(spent.values())

    print(f"{len(texts)} articles, {chars} characters ({chars / len(texts):.0f} per article)")
    print(f"jieba precise mode alone : {seg_seconds:7.2f} s  {len(texts) / seg_seconds:8.1f} articles/s"
          f"  {chars / seg_seconds / 1e6:.2f} M chars/s")
    print(f"whole extraction         : {total:7.2f} s  {len(texts) / total:8.1f} articles/s"
          f"  {chars / total / 1e6:.3f} M chars/s")
    for name, seconds in sorted(spent.items(), key=lambda x: -x[1]):
        print(f"  {name:12} {seconds:7.2f} s  {100 * seconds / total:5.1f} %  {seconds / seg_seconds:6.2f}x segmentation")
    print(f"ratio extraction / segmentation: {total / seg_seconds:.2f}x (target <= 3x)")


if __name__ == "__main__":
    main()
