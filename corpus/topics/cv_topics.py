"""Cross-validate model choices of newsnlp.topics on the TRAINING split only (never the held-out one).

    PYTHONPATH=. python corpus/topics/cv_topics.py [--folds 5] [--shared-data ../shared/data]

People's Daily training articles (pd1998_labels.jsonl, split "train") are cut into folds by
sha1("cv:" + id); each fold is scored by a model fitted on the other folds plus all THUCNews dev
titles (thucnews_dev.jsonl).  Features and regressions are those of ``newsnlp.topics.train``
(``_features``, ``fit_linear``); figures are those of ``newsnlp.topics.score_labels``.  jieba runs
once per document (tokens cached), so a setting costs only the TF-IDF and regression fits.

Prints one line per setting: mean top-1, micro F1 and macro F1 over the folds, each with the
secondary-label threshold that gives the best macro F1 for that setting.
"""
from __future__ import annotations

import argparse
import hashlib
import time
from pathlib import Path

import numpy as np

from newsnlp import topics

HERE = Path(__file__).resolve().parent
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
BASE = {"c": 8.0, "class_weight": "balanced", "secondary_weight": 1.0, "thucnews_weight": 0.3}
SETTINGS = [
    {},
    {"c": 2.0}, {"c": 4.0}, {"c": 16.0}, {"c": 32.0},
    {"class_weight": None},
    {"thucnews_weight": 0.0}, {"thucnews_weight": 0.1}, {"thucnews_weight": 1.0},
    {"secondary_weight": 0.5}, {"secondary_weight": 0.25},
]


def fold_of(record_id: str, folds: int) -> int:
    return int(hashlib.sha1(f"cv:{record_id}".encode()).hexdigest(), 16) % folds


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--shared-data", type=Path, default=topics.default_shared_data())
    ap.add_argument("--body-chars", type=int, default=topics.BODY_CHARS,
                    help="characters of the body the features read (newsnlp.topics.BODY_CHARS)")
    ap.add_argument("--settings", default="", help="';'-separated k=v,k=v overrides of the base setting "
                    "(default: the built-in list)")
    args = ap.parse_args()

    topics.BODY_CHARS = args.body_chars
    pd = topics.read_records(HERE / "pd1998_labels.jsonl", shared_data=args.shared_data, split="train")
    thuc = topics.read_records(HERE / "thucnews_dev.jsonl", shared_data=args.shared_data, split="train")
    docs = [topics.prepare(r.get("text") or "", r.get("headline") or "") for r in pd + thuc]
    t0 = time.time()
    cache_words = {d: topics.word_tokens(d) for d in docs}
    cache_chars = {d: topics.char_ngrams(d) for d in docs}
    print(f"{len(pd)} training articles, {len(thuc)} THUCNews titles, body chars {args.body_chars}; "
          f"tokens in {time.time() - t0:.0f} s", flush=True)
    label_sets = [list(r["labels"]) for r in pd + thuc]
    is_thuc = np.array([False] * len(pd) + [True] * len(thuc))
    fold = np.array([fold_of(r["id"], args.folds) for r in pd] + [-1] * len(thuc))
    labels = [x for x in topics.DEFAULT_LABELS if any(x in labs for labs in label_sets)]

    # TF-IDF per fold does not depend on the regression settings: fit once per fold.
    matrices = []
    for k in range(args.folds):
        features = topics._features(30000, 60000)
        features.set_params(words__analyzer=cache_words.__getitem__, chars__analyzer=cache_chars.__getitem__)
        train_idx = np.flatnonzero(fold != k)
        test_idx = np.flatnonzero(fold == k)
        x_train = features.fit_transform([docs[i] for i in train_idx])
        x_test = features.transform([docs[i] for i in test_idx])
        matrices.append((train_idx, test_idx, x_train, x_test))

    settings = SETTINGS
    if args.settings:
        settings = [dict(_parse(kv) for kv in s.split(",") if kv) for s in args.settings.split(";")]
    for override in settings:
        setting = {**BASE, **override}
        t0 = time.time()
        per_threshold = {t: [] for t in THRESHOLDS}
        for train_idx, test_idx, x_train, x_test in matrices:
            weights = np.where(is_thuc[train_idx], setting["thucnews_weight"], 1.0)
            keep = weights > 0
            coef, intercept = topics.fit_linear(
                x_train[keep], [label_sets[i] for i in train_idx[keep]], labels, weights[keep], c=setting["c"],
                class_weight=setting["class_weight"], secondary_weight=setting["secondary_weight"])
            probs = 1 / (1 + np.exp(-(x_test @ coef + intercept)))
            gold = [label_sets[i] for i in test_idx]
            for t in THRESHOLDS:
                model = topics.TopicModel(labels=labels, features=None, coef=coef, intercept=intercept, threshold=t)
                predicted = [[x.label for x in model._topics(row)] for row in np.asarray(probs)]
                per_threshold[t].append(topics.score_labels(gold, predicted, labels))
        means = {t: {key: float(np.mean([s[key] for s in scores])) for key in ("top1_accuracy", "micro_f1", "macro_f1")}
                 for t, scores in per_threshold.items()}
        best_t = max(THRESHOLDS, key=lambda t: means[t]["macro_f1"])
        m = means[best_t]
        label = ",".join(f"{k}={v}" for k, v in override.items()) or "base"
        print(f"{label:28s} top1 {m['top1_accuracy']:.4f}  micro_f1 {m['micro_f1']:.4f}  macro_f1 {m['macro_f1']:.4f}"
              f"  (threshold {best_t}; macro_f1 by threshold "
              + " ".join(f"{t}:{means[t]['macro_f1']:.3f}" for t in THRESHOLDS) + f")  {time.time() - t0:.0f} s",
              flush=True)


def _parse(kv: str):
    key, _, value = kv.partition("=")
    if value == "None":
        return key, None
    try:
        return key, float(value)
    except ValueError:
        return key, value


if __name__ == "__main__":
    main()
