"""Topic tagging speed, model size and load time.

    python benchmarks/bench_topics.py [--model PATH] [--articles N]

Runs on one core (BLAS/OpenMP threads pinned to 1).  Texts: People's Daily 1998 articles from
../shared/data when present, else paragraphs of the sample page.  Prints one figure per line.
"""
from __future__ import annotations

import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import argparse  # noqa: E402
import statistics  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
from pathlib import Path  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def sample_texts(n: int) -> list[tuple[str, str]]:
    from newsnlp import topics

    try:
        articles = topics.pd1998_articles(topics.default_shared_data())
        items = [(h, t) for h, t in articles.values() if len(t) > 200]
    except Exception:
        text = (ROOT / "corpus" / "sample-page-2022-10-12.txt").read_text(encoding="utf-8")
        chunks = [c for c in text.split("\n\n") if len(c) > 100]
        items = [(c[:20], c) for c in chunks]
    return (items * (n // max(len(items), 1) + 1))[:n]


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--model", type=Path, default=None)
    ap.add_argument("--articles", type=int, default=500)
    args = ap.parse_args()

    t0 = time.perf_counter()
    from newsnlp import topics  # imports numpy/scikit-learn lazily

    t1, c1 = time.perf_counter(), time.process_time()
    model = topics.load_model(args.model)
    t2, c2 = time.perf_counter(), time.process_time()
    path = args.model or topics.DEFAULT_MODEL_PATH
    print(f"model file            {path}")
    print(f"model size            {Path(path).stat().st_size / 1e6:.2f} MB")
    print(f"load_model (cold)     {(t2 - t1) * 1000:.0f} ms wall, {(c2 - c1) * 1000:.0f} ms CPU "
          f"(includes importing scikit-learn; + {(t1 - t0) * 1000:.0f} ms importing newsnlp.topics)")
    t3 = time.perf_counter()
    topics._load_cached.cache_clear()
    topics.load_model(args.model)
    print(f"load_model (warm imports) {(time.perf_counter() - t3) * 1000:.0f} ms wall")
    t3 = time.perf_counter()
    topics.load_model(args.model)
    print(f"load_model (cached)   {(time.perf_counter() - t3) * 1e6:.0f} us")

    items = sample_texts(args.articles)
    model.predict(items[0][1], headline=items[0][0])  # warm up jieba's dictionary
    times = []
    c = time.process_time()
    for headline, text in items:
        s = time.perf_counter()
        model.predict(text, headline=headline)
        times.append(time.perf_counter() - s)
    cpu_each = (time.process_time() - c) / len(items)
    mean_chars = statistics.mean(len(t) for _, t in items)
    print(f"articles              {len(items)} (mean {mean_chars:.0f} chars of body)")
    print(f"predict, one by one   {cpu_each * 1000:.2f} ms CPU/article; wall {statistics.mean(times) * 1000:.2f} ms "
          f"(median {statistics.median(times) * 1000:.2f}, p95 {sorted(times)[int(len(times) * .95)] * 1000:.2f})")
    s, c = time.perf_counter(), time.process_time()
    model.predict_many([t + " " for _, t in items], [h for h, _ in items])  # " ": bypass segment's small cut cache
    print(f"predict_many          {(time.process_time() - c) / len(items) * 1000:.2f} ms CPU/article, "
          f"{(time.perf_counter() - s) / len(items) * 1000:.2f} ms wall")


if __name__ == "__main__":
    main()
