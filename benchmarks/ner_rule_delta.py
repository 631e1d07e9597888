"""Does a rule change in the name finder generalise?  Before/after F1 on MSRA test and
on People's Daily January 1998 (text the model and the rules were never tuned on).

    nice python benchmarks/ner_rule_delta.py                  # rules of 82cb1c2^ vs the working tree
    nice python benchmarks/ner_rule_delta.py --rev HEAD~3 --days 1-31

The "before" package is ``git archive <rev> newsnlp`` (read-only, in a temp folder)
with today's ``ner_eval.py`` laid over it, so both sides are scored by the same code,
model file and People's Daily -> MSRA mapping (``newsnlp.extract.ner_eval``).  Each side
runs in its own process.  Rows:

- ``msra-test``: MSRA test (the rules were written reading its errors: in-sample).
- ``pd1998``: People's Daily days ``--days`` with the shipped lexicon feature.  The
  lexicon was built from all of January 1998, so PER/LOC/ORG there are optimistic;
  read the delta, not the level.
- ``pd1998-lexmask``: the same sentences with a lexicon rebuilt without those days
  (as for text the lexicon has never seen).
- ``pd1998-unseen-per``: the sentences of that run whose person names are all missing
  from the masked lexicon (new names; PER is the figure to read).
- ``msra-test-lexmask-per``: MSRA test with its gold person names removed from the
  lexicon (PER is the figure to read: names the lexicon never listed).

Takes about 1 minute on one core (jieba features of ~15,000 sentences, 3 runs a side).
"""
from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tarfile
import tempfile
from collections import Counter, defaultdict
from io import BytesIO
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared" / "data"
TYPES = ("PER", "LOC", "ORG", "overall")


def _masked_lexicon(entities_jsonl: Path, held_out: set[int]):
    """The shipped lexicon's recipe (benchmarks/train_ner.py ``build_lexicon``) on the
    paragraphs of days outside ``held_out``."""
    from newsnlp.extract import ner_features

    counts: dict[str, Counter] = defaultdict(Counter)
    with open(entities_jsonl, encoding="utf-8") as f:
        for line in f:
            row = json.loads(line)
            if int(row["id"][6:8]) in held_out:
                continue
            for _s, _e, kind, text in row["entities"]:
                if kind in ("PER", "LOC", "ORG") and 2 <= len(text) <= 20:
                    counts[ner_features.normalise(text)][kind] += 1
    words = {w: c.most_common(1)[0][0] for w, c in counts.items()}
    return words, frozenset(w[:k] for w in words for k in range(1, len(w)))


def _use_lexicon(lexicon) -> None:
    """Make the model features and the rules read ``lexicon`` (words, prefixes)."""
    from newsnlp.extract import ner_features

    ner_features.lexicon = lambda: lexicon
    ner_features.surnames.cache_clear()


def worker(days_spec: str, baseline: bool) -> dict:
    """Scores of the ``newsnlp`` on sys.path (this process's PYTHONPATH)."""
    from newsnlp.extract import ner_eval, ner_features

    msra_path = SHARED / "msra_ner" / "msra_test_bio.txt"
    out = {"msra-test": ner_eval.score(msra_path, ner_eval.predict_shipped)}
    days = ner_eval.parse_days(days_spec)
    source = SHARED / "peoples_daily_1998_01"
    examples = list(ner_eval.pd1998_examples(source, days=days))
    out["pd1998"] = ner_eval.score_examples(examples, ner_eval.predict_shipped)
    if baseline:
        out["pd1998 jieba-pos"] = ner_eval.score_examples(examples, ner_eval.predict_jieba)
        out["msra-test jieba-pos"] = ner_eval.score(SHARED / "msra_ner" / "msra_test_bio.txt",
                                                    ner_eval.predict_jieba)
    shipped = ner_features.lexicon()
    masked = _masked_lexicon(source / "199801_entities.jsonl", days)
    _use_lexicon(masked)
    out["pd1998-lexmask"] = ner_eval.score_examples(examples, ner_eval.predict_shipped)
    words = masked[0]
    unseen = [x for x in examples if any(k == "PER" for _, _, k in x[1])
              and not any(k == "PER" and ner_features.normalise(x[0][a:b]) in words for a, b, k in x[1])]
    out["pd1998-unseen-per"] = ner_eval.score_examples(unseen, ner_eval.predict_shipped)
    # MSRA test with its gold person names taken out of the lexicon: PER on names it has never listed
    msra = [(text, ner_eval.bio_spans(tags), []) for text, tags in ner_features.read_bio(msra_path)]
    people = {ner_features.normalise(text[a:b]) for text, gold, _ in msra for a, b, k in gold if k == "PER"}
    in_lexicon = sum(shipped[0].get(name) == "PER" for name in people)
    kept = {w: k for w, k in shipped[0].items() if w not in people}
    _use_lexicon((kept, frozenset(w[:i] for w in kept for i in range(1, len(w)))))
    out["msra-test-lexmask-per"] = ner_eval.score_examples(msra, ner_eval.predict_shipped)
    out["_sizes"] = {"pd1998 sentences": len(examples), "unseen-per sentences": len(unseen),
                     "msra test PER names in lexicon": f"{in_lexicon}/{len(people)}"}
    return out


def _before_tree(rev: str, folder: Path) -> Path:
    """``git archive <rev> newsnlp`` into ``folder``, with today's scorer laid over it."""
    archive = subprocess.run(["git", "-C", str(ROOT), "archive", rev, "newsnlp"],
                             check=True, capture_output=True).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(folder, filter="data")
    shutil.copy(ROOT / "newsnlp" / "extract" / "ner_eval.py", folder / "newsnlp" / "extract" / "ner_eval.py")
    return folder


def _run(pythonpath: Path, days: str, baseline: bool) -> dict:
    env = {**os.environ, "PYTHONPATH": str(pythonpath)}
    args = [sys.executable, __file__, "--worker", "--days", days] + (["--baseline"] if baseline else [])
    done = subprocess.run(args, env=env, check=True, stdout=subprocess.PIPE, text=True)
    return json.loads(done.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--rev", default="82cb1c2^", help="git revision of the 'before' rules [82cb1c2^]")
    ap.add_argument("--days", default="21-31", help="People's Daily days of January 1998 [21-31]")
    ap.add_argument("--baseline", action="store_true", help="also score jieba POS tags (nr/ns/nt)")
    ap.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    ap.add_argument("--json", action="store_true", help="print the raw scores as JSON")
    args = ap.parse_args()
    if args.worker:
        print(json.dumps(worker(args.days, args.baseline)))
        return
    with tempfile.TemporaryDirectory(prefix="ner-before-") as tmp:
        before = _run(_before_tree(args.rev, Path(tmp)), args.days, False)
    now = _run(ROOT, args.days, args.baseline)
    if args.json:
        print(json.dumps({"before": before, "now": now}, indent=1))
        return
    print(f"before = rules at {args.rev}; now = working tree; People's Daily days {args.days}; "
          f"{now['_sizes']}")
    print(f"{'set':22} {'type':8} {'F1 before':>9} {'F1 now':>7} {'delta':>7}   "
          f"{'P before':>8} {'P now':>6} {'R before':>8} {'R now':>6} {'gold':>6}")
    for name in [k for k in now if not k.startswith("_")]:
        for kind in TYPES:
            n = now[name][kind]
            b = before.get(name, {}).get(kind)
            if b is None:
                print(f"{name:22} {kind:8} {'':>9} {n['f1']:7.3f}")
                continue
            print(f"{name:22} {kind:8} {b['f1']:9.3f} {n['f1']:7.3f} {n['f1'] - b['f1']:+7.3f}   "
                  f"{b['precision']:8.3f} {n['precision']:6.3f} {b['recall']:8.3f} {n['recall']:6.3f} "
                  f"{n['gold']:6d}")


if __name__ == "__main__":
    main()
