"""Parsing time per 10k lines for inputs that are not ordinary pages (the splitter must be linear).

    python benchmarks/bench_split_scaling.py [--sizes 10000,40000,160000]

Each input kind is generated at each size and run through ``tidy`` + ``split`` (no extraction);
the table gives seconds per 10,000 lines, which stays flat when parsing is linear:

- ``short``: short lines, no blank lines (``短行`` x N: one enormous block);
- ``prose``: punctuated lines, no blank lines;
- ``blank``: short lines each followed by a blank line;
- ``heads``: heading-like lines alternating with bracketed bylines (thousands of articles);
- ``pages``: the sample page repeated (a realistic page, for scale).
"""
from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsnlp import split, tidy  # noqa: E402

SAMPLE = ROOT / "corpus" / "sample-page-2022-10-12.txt"


def inputs(n: int) -> dict[str, str]:
    page = SAMPLE.read_text(encoding="utf-8").splitlines()
    return {
        "short": "\n".join(["短行"] * n) + "\n",
        "prose": "\n".join(["这是一行，有标点的文字内容"] * n) + "\n",
        "blank": "\n\n".join(["短行"] * (n // 2)) + "\n",
        "heads": "\n".join("标题行" if i % 2 else "（记者 王明）" for i in range(n)) + "\n",
        "pages": "\n".join((page * (n // len(page) + 1))[:n]) + "\n",
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,40000,160000")
    args = parser.parse_args(argv)
    sizes = [int(x) for x in args.sizes.split(",")]
    table: dict[str, list[float]] = {}
    for n in sizes:
        for kind, text in inputs(n).items():
            started = time.perf_counter()
            split.split_page(tidy.tidy_lines(text))
            table.setdefault(kind, []).append((time.perf_counter() - started) / n * 10_000)
    print("seconds per 10,000 lines (tidy + split, no extraction)")
    print(f"{'input':8}" + "".join(f"{n:>12,}" for n in sizes))
    for kind, values in table.items():
        print(f"{kind:8}" + "".join(f"{v:12.3f}" for v in values))
    return 0


if __name__ == "__main__":
    sys.exit(main())
