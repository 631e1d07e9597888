"""Speed of figures() and dates() on one core: chars/s over the sample page's article bodies
(or any UTF-8 text file given as the first argument, one document per line), repeated to about
1 MB, beside jieba's precise-mode segmentation of the same text for scale.

    python benchmarks/bench_figures_dates.py [FILE]
"""
from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from newsnlp.extract.dates import dates  # noqa: E402
from newsnlp.extract.figures import figures  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def load_texts() -> list[str]:
    if len(sys.argv) > 1:
        return [line for line in Path(sys.argv[1]).read_text(encoding="utf-8").splitlines() if line.strip()]
    gold = ROOT.parent / "shared" / "seed" / "page.gold-articles.json"
    if gold.is_file():
        articles = json.loads(gold.read_text(encoding="utf-8"))["articles"]
        return ["\n".join(b["text"] for b in a["body"]) for a in articles]
    return [line for line in (ROOT / "corpus" / "sample-page-2022-10-12.txt").read_text(encoding="utf-8").splitlines()
            if line.strip()]


def main() -> None:
    texts = load_texts()
    size = sum(map(len, texts))
    repeat = max(1, 1_000_000 // size)
    import jieba

    figures(texts[0])  # load jieba's dictionary once, outside the timing
    runs = (("jieba.lcut (reference)", jieba.lcut), ("dates", lambda t: dates(t, publication_date="2022-10-12")),
            ("figures", figures))
    for name, fn in runs:
        start = time.perf_counter()
        found = 0
        for _ in range(repeat):
            for text in texts:
                found += len(fn(text))
        seconds = time.perf_counter() - start
        chars = size * repeat
        print(f"{name:22} {chars / seconds / 1e6:6.2f} M chars/s  {len(texts) * repeat / seconds:8.0f} articles/s"
              f"  ({chars} chars, {found} found, {seconds:.2f} s)")


if __name__ == "__main__":
    main()
