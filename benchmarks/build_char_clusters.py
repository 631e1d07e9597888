"""Cluster characters by the characters around them, for the NER model's cluster features.

    nice python benchmarks/build_char_clusters.py [--out newsnlp/data/ner-char-clusters.txt]

Unlabelled text only: the sentences of MSRA NER train (not test), People's Daily January 1998
(tags stripped) and the THUCNews dev titles, all under ../shared/data.  Each character seen at
least ``--min-count`` times is described by how often each frequent character stands 2 and 1
before and 1 and 2 after it (positive PMI), reduced to ``--dims`` dimensions (SVD) and grouped
with k-means twice: ``--coarse`` and ``--fine`` clusters.  Given-name characters, surnames,
place and organisation suffixes end up in clusters of their own, so the model can generalise
from names it saw to names it did not.  Output: ``char<TAB>coarse<TAB>fine``.
"""
from __future__ import annotations

import argparse
import re
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newsnlp.extract import ner_features  # noqa: E402

SHARED = ROOT.parent / "shared" / "data"


def corpus_lines(shared: Path):
    """Unlabelled lines of text (never a test set)."""
    for text, _ in ner_features.read_bio(shared / "msra_ner" / "msra_train_bio.txt"):
        yield text
    token = re.compile(r"\[?([^\s/\[\]]+)/[a-zA-Z]+\]?[a-z]*")
    with open(shared / "peoples_daily_1998_01" / "199801.txt", encoding="utf-8") as f:
        for line in f:
            words = token.findall(line)
            if len(words) > 1:
                yield "".join(words[1:])  # the first token is the line's id
    with open(shared / "thucnews_titles" / "dev.txt", encoding="utf-8") as f:
        for line in f:
            yield line.rsplit("\t", 1)[0]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--out", type=Path, default=ROOT / "newsnlp" / "data" / "ner-char-clusters.txt")
    ap.add_argument("--min-count", type=int, default=5)
    ap.add_argument("--contexts", type=int, default=2000, help="most frequent characters used as contexts")
    ap.add_argument("--dims", type=int, default=80)
    ap.add_argument("--coarse", type=int, default=64)
    ap.add_argument("--fine", type=int, default=400)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    from sklearn.cluster import KMeans

    t0 = time.time()
    lines = [ner_features.normalise(x) for x in corpus_lines(args.shared)]
    counts = Counter(c for x in lines for c in x)
    chars = sorted((c for c, n in counts.items() if n >= args.min_count and not c.isspace()),
                   key=lambda c: (-counts[c], c))
    index = {c: i for i, c in enumerate(chars)}
    ctx = {c: i for i, c in enumerate(chars[:args.contexts])}
    k = len(ctx)
    m = np.zeros((len(chars), 4 * k + 4), dtype=np.float64)  # + "^"/"$" padding contexts per offset
    for x in lines:
        padded = "^^" + x + "$$"
        for p in range(2, len(padded) - 2):
            row = index.get(padded[p])
            if row is None:
                continue
            for slot, q in enumerate((p - 2, p - 1, p + 1, p + 2)):
                c = padded[q]
                col = ctx.get(c)
                if col is not None:
                    m[row, slot * k + col] += 1
                elif c in "^$":
                    m[row, 4 * k + slot] += 1
    total = m.sum()
    pmi = np.log(np.maximum(m * total, 1e-12) / np.maximum(np.outer(m.sum(1), m.sum(0)), 1e-12))
    ppmi = np.where(m > 0, np.maximum(pmi, 0), 0)
    u, s, _ = np.linalg.svd(ppmi, full_matrices=False)
    vec = u[:, :args.dims] * np.sqrt(s[:args.dims])
    vec /= np.maximum(np.linalg.norm(vec, axis=1, keepdims=True), 1e-12)
    coarse = KMeans(args.coarse, n_init=4, random_state=args.seed).fit_predict(vec)
    fine = KMeans(args.fine, n_init=2, random_state=args.seed).fit_predict(vec)
    header = (f"# character<TAB>coarse<TAB>fine cluster: {len(chars)} characters seen {args.min_count}+ times in "
              f"{sum(counts.values())} characters of MSRA NER train, People's Daily 1998-01 and THUCNews dev titles; "
              f"written by benchmarks/build_char_clusters.py\n")
    args.out.write_text(header + "".join(f"{c}\t{a}\t{b}\n" for c, a, b in zip(chars, coarse, fine)), encoding="utf-8")
    print(f"{len(chars)} characters, {args.coarse}/{args.fine} clusters -> {args.out} ({time.time() - t0:.0f}s)")


if __name__ == "__main__":
    main()
