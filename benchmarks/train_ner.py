"""Train the shipped character CRF for person/place/organisation names.

Reproduce the shipped model (15-30 minutes on one core, most of it L-BFGS):

    nice python benchmarks/train_ner.py --lexicon > /tmp/train_ner.log 2>&1 &

python-crfsuite trains; its model is then exported (non-zero weights only) to
``newsnlp/data/ner-msra.crf.gz``, which :mod:`newsnlp.extract.ner_crf` tags with.

``--lexicon`` first rebuilds ``newsnlp/data/ner-lexicon.txt`` from People's Daily
1998 (../shared/data/peoples_daily_1998_01/199801_entities.jsonl); the model is
trained on MSRA train only (../shared/data/msra_ner/msra_train_bio.txt).  MSRA
test is never read here: score with ``newsnlp eval ner``.
"""
from __future__ import annotations

import argparse
import collections
import json
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load(name: str):
    """Import newsnlp/extract/<name>.py alone (without the rest of the package)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location(name, ROOT / "newsnlp" / "extract" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


ner_features = _load("ner_features")
ner_crf = _load("ner_crf")

SHARED = ROOT.parent / "shared" / "data"
DATA = ROOT / "newsnlp" / "data"


def build_lexicon(source: Path, out: Path, min_count: int = 1) -> int:
    """Write name<TAB>TYPE for People's Daily 1998 PER/LOC/ORG spans (majority type)."""
    counts: dict[str, collections.Counter] = collections.defaultdict(collections.Counter)
    with open(source, encoding="utf-8") as f:
        for line in f:
            for _start, _end, kind, text in json.loads(line)["entities"]:
                if kind in ("PER", "LOC", "ORG") and 2 <= len(text) <= 20:
                    counts[ner_features.normalise(text)][kind] += 1
    rows = sorted(
        (w, c.most_common(1)[0][0]) for w, c in counts.items() if sum(c.values()) >= min_count
    )
    out.write_text("".join(f"{w}\t{k}\n" for w, k in rows), encoding="utf-8")
    ner_features.lexicon.cache_clear()
    return len(rows)


def _trainer_class():
    import pycrfsuite

    class Trainer(pycrfsuite.Trainer):
        t0 = 0.0

        def on_iteration(self, log, info):
            print(f"iter {info['num']} loss {info['loss']:.0f} active {info['active_features']} "
                  f"{time.time() - self.t0:.0f}s", flush=True)

    return Trainer


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--train", type=Path, default=SHARED / "msra_ner" / "msra_train_bio.txt")
    ap.add_argument("--out", type=Path, default=DATA / "ner-msra.crf.gz", help="shipped weights (gzip text)")
    ap.add_argument("--crfsuite", type=Path, default=Path("/tmp/ner-msra.crfsuite"),
                    help="where python-crfsuite writes its own model file (not shipped)")
    ap.add_argument("--lexicon", action="store_true", help="rebuild newsnlp/data/ner-lexicon.txt first")
    ap.add_argument("--c1", type=float, default=0.15, help="L1 penalty (prunes features)")
    ap.add_argument("--c2", type=float, default=0.01, help="L2 penalty")
    ap.add_argument("--max-iter", type=int, default=150)
    ap.add_argument("--min-freq", type=float, default=2, help="drop features seen fewer times")
    ap.add_argument("--limit", type=int, default=0, help="train on the first N sentences only")
    args = ap.parse_args()

    _Trainer = _trainer_class()
    if args.lexicon:
        n = build_lexicon(SHARED / "peoples_daily_1998_01" / "199801_entities.jsonl", DATA / "ner-lexicon.txt")
        print(f"lexicon: {n} names", flush=True)
    t0 = time.time()
    trainer = _Trainer(verbose=False)
    n_sent = n_char = 0
    for text, tags in ner_features.read_bio(args.train):
        trainer.append(ner_features.features(text), tags)
        n_sent += 1
        n_char += len(text)
        if args.limit and n_sent >= args.limit:
            break
    print(f"features: {n_sent} sentences, {n_char} chars in {time.time() - t0:.0f}s", flush=True)
    trainer.set_params({
        "c1": args.c1, "c2": args.c2, "max_iterations": args.max_iter,
        "feature.minfreq": args.min_freq, "feature.possible_transitions": True,
    })
    trainer.t0 = time.time()
    trainer.train(str(args.crfsuite))
    n = ner_crf.export_crfsuite(args.crfsuite, args.out)
    print(f"trained in {time.time() - trainer.t0:.0f}s -> {args.out} ({n} weights, "
          f"{args.out.stat().st_size} bytes)", flush=True)


if __name__ == "__main__":
    main()
