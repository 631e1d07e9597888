"""Score a development NER model the way model changes are chosen (newsnlp/data/README.md).

    nice python benchmarks/train_ner.py --holdout 4500 --out /tmp/dev.crf.gz [--clusters ...]
    nice python benchmarks/ner_dev.py /tmp/dev.crf.gz [--baseline /tmp/base.crf.gz]

A development model is trained on the first 40,500 sentences of MSRA train only.  Each model
is scored with today's rules (``newsnlp.extract.entities``) on:

- ``msra-dev``: the last 4,500 sentences of MSRA train, which it never saw;
- ``pd1-20``: People's Daily 1998, days 1-20, with the shipped lexicon feature (built from all
  of January, so it lists these days' names: optimistic, read deltas only);
- ``pd1-20-held``: the same sentences with a lexicon built from days 21-31 only (names the
  lexicon never listed, as on new text);
- ``page``: persons and officials F1 of the sample page (``corpus/``, gold in ../shared/seed).

Names memorised from MSRA train (``ner-train-names.txt``) are recounted from the first 40,500
sentences for every row, so no MSRA-dev name is known in advance.  MSRA test is never read:
score a model chosen here once with ``newsnlp eval ner`` after training it on all of MSRA train.
Each row runs in its own process (the caches differ); about 3 minutes a model on one core.
"""
from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
DEV_SENTENCES = 4500
ROWS = ("msra-dev", "pd1-20", "pd1-20-held", "page")
TYPES = ("PER", "LOC", "ORG", "overall")


def prepare(workdir: Path, shared: Path, dev_sentences: int = DEV_SENTENCES) -> None:
    """Write the MSRA development slice (its last ``dev_sentences``), the days 21-31 lexicon and
    the names of the sentences before the slice."""
    sys.path.insert(0, str(ROOT / "benchmarks"))
    import train_ner

    train = shared / "msra_ner" / "msra_train_bio.txt"
    sentences = list(train_ner.ner_features.read_bio(train))
    with open(workdir / "msra-dev.bio", "w", encoding="utf-8") as f:
        for text, tags in sentences[-dev_sentences:]:
            f.write("".join(f"{c}\t{t}\n" for c, t in zip(text, tags)) + "\n")
    train_ner.build_lexicon(shared / "peoples_daily_1998_01", workdir / "lexicon-days21-31.txt",
                            days=set(range(21, 32)))
    train_ner.build_train_names(train, workdir / "train-names.txt", sentences=len(sentences) - dev_sentences)


def score_row(row: str, model: Path, workdir: Path, shared: Path) -> dict:
    """Scores of ``model`` on one row (run in a process of its own)."""
    sys.path.insert(0, str(ROOT))
    import importlib

    from newsnlp.extract import ner_eval, ner_features

    entities = importlib.import_module("newsnlp.extract.entities")
    entities.MODEL_PATH = model
    names = ner_features.read_train_names(workdir / "train-names.txt")
    ner_features.train_names = lambda: names
    if row == "pd1-20-held":
        held = ner_features.read_lexicon(workdir / "lexicon-days21-31.txt")
        ner_features.lexicon = lambda: held
    if row == "page":
        from newsnlp import evaluate

        scores = evaluate.score_facts_files(ROOT / "corpus" / "sample-page-2022-10-12.txt",
                                            shared.parent / "seed" / "page.gold-facts.json")
        return {"persons": scores["persons"]["f1"], "officials": scores["officials"]["f1"]}
    if row == "msra-dev":
        return ner_eval.score(workdir / "msra-dev.bio", ner_eval.predict_shipped)
    examples = ner_eval.pd1998_examples(shared / "peoples_daily_1998_01", days=set(range(1, 21)))
    return ner_eval.score_examples(examples, ner_eval.predict_shipped)


def _line(name: str, row: str, scores: dict, base: dict | None) -> str:
    if row == "page":
        keys = ("persons", "officials")
        cells = [f"{k} {scores[k]:.3f}" + (f" ({scores[k] - base[k]:+.3f})" if base else "") for k in keys]
    else:
        cells = [f"{k} {scores[k]['f1']:.4f}" + (f" ({scores[k]['f1'] - base[k]['f1']:+.4f})" if base else "")
                 for k in TYPES]
    return f"{name:10} {row:12} " + "  ".join(cells)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("model", type=Path, help="a model trained with --holdout 4500")
    ap.add_argument("--baseline", type=Path, default=None, help="another development model, for deltas")
    ap.add_argument("--shared", type=Path, default=SHARED)
    ap.add_argument("--workdir", type=Path, default=None, help="reuse prepared files [default: a temp folder]")
    ap.add_argument("--row", choices=ROWS, help=argparse.SUPPRESS)  # internal: one row, JSON out
    args = ap.parse_args()
    if args.row:
        print(json.dumps(score_row(args.row, args.model, args.workdir, args.shared)))
        return
    for path in filter(None, (args.model, args.baseline)):
        if not path.is_file():
            sys.exit(f"Error: no such model file: {path}")
    with tempfile.TemporaryDirectory(prefix="ner-dev-") as tmp:
        workdir = args.workdir or Path(tmp)
        if not (workdir / "train-names.txt").is_file():
            prepare(workdir, args.shared)
        for row in ROWS:
            results = {}
            for name, model in (("baseline", args.baseline), ("model", args.model)):
                if model is None:
                    continue
                out = subprocess.run([sys.executable, __file__, str(model), "--row", row, "--workdir", str(workdir),
                                      "--shared", str(args.shared)], capture_output=True, text=True)
                if out.returncode:
                    sys.exit(f"Error: {row} with {model}: {out.stderr.strip().splitlines()[-1:]}")
                results[name] = json.loads(out.stdout)
            for name, scores in results.items():
                print(_line(name, row, scores, results.get("baseline") if name == "model" else None), flush=True)


if __name__ == "__main__":
    main()
