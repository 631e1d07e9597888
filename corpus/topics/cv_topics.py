"""Cross-validate model choices of newsnlp.topics on the TRAINING split only (never the held-out one).

    PYTHONPATH=. nice python corpus/topics/cv_topics.py [--folds 5] [--seed cv] [--only NAME,NAME]

People's Daily training articles (pd1998_labels.jsonl, split "train") are cut into folds by
sha1(seed + ":" + id); each fold is scored by a model fitted on the other folds plus all THUCNews dev
titles (thucnews_dev.jsonl).  The "shipped" variant uses the features, regressions and figures of
``newsnlp.topics.train`` / ``evaluate`` (``prepare``, ``_features``' settings, ``fit_linear``,
``score_labels``); the other variants change one thing (``VARIANTS``).  Tokens are cached per document.

Prints one line per variant: mean top-1 and macro F1 over the folds at the secondary-label threshold
with the best mean macro F1, the criterion S = top-1 + macro F1 with its standard error over folds,
and S minus the shipped setting's S with the paired standard error of that difference.
Selection rule (fixed before the runs): adopt a variant only when S beats the shipped S by more than
the shipped S's standard error, and it also beats it on a second fold split (``--seed cv2``).
"""
from __future__ import annotations

import argparse
import hashlib
import math
import re
import time
from pathlib import Path

import numpy as np

from newsnlp import topics

HERE = Path(__file__).resolve().parent
THRESHOLDS = (0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
SHIPPED_FEATURES = {"body_chars": 1000, "headline_repeat": 2, "headline_block": False, "sublinear": True,
                    "min_df": 2, "max_words": 30000, "max_chars": 60000, "char_range": (1, 3)}
SHIPPED_MODEL = {"kind": "lr", "c": 16.0, "class_weight": "balanced", "secondary_weight": 0.5,
                 "thucnews_weight": 0.1}
# name, feature overrides, model overrides
VARIANTS: list[tuple[str, dict, dict]] = [
    ("shipped", {}, {}),
    ("headline block", {"headline_block": True}, {}),
    ("headline x3", {"headline_repeat": 3}, {}),
    ("headline x1", {"headline_repeat": 1}, {}),
    ("body 2000", {"body_chars": 2000}, {}),
    ("body whole", {"body_chars": None}, {}),
    ("sublinear_tf off", {"sublinear": False}, {}),
    ("min_df 1", {"min_df": 1}, {}),
    ("min_df 3", {"min_df": 3}, {}),
    ("max_features x2", {"max_words": 60000, "max_chars": 120000}, {}),
    ("max_features /2", {"max_words": 15000, "max_chars": 30000}, {}),
    ("chars 1-2", {"char_range": (1, 2)}, {}),
    ("chars 2-4", {"char_range": (2, 4)}, {}),
    ("class_weight sqrt", {}, {"class_weight": "sqrt"}),
    ("class_weight None", {}, {"class_weight": None}),
    ("softmax primary + OvR", {}, {"kind": "softmax"}),
    ("LR + ComplementNB", {}, {"kind": "cnb"}),
    ("LinearSVC calibrated", {}, {"kind": "svc"}),
    ("SGD modified_huber cal.", {}, {"kind": "sgd"}),
]


def fold_of(record_id: str, folds: int, seed: str) -> int:
    return int(hashlib.sha1(f"{seed}:{record_id}".encode()).hexdigest(), 16) % folds


def prepare(text: str, headline: str, spec: dict) -> str:
    """``topics.prepare`` with the variant's body window and headline repeats."""
    headline = topics._squash(headline)
    body = topics._squash(text)
    if spec["body_chars"] is not None:
        body = body[:spec["body_chars"]]
    return "。".join([headline] * spec["headline_repeat"]) + "\n" + body if headline else "\n" + body


def char_ngrams(doc: str, lo: int, hi: int) -> list[str]:
    grams: list[str] = []
    for run in re.findall(r"\w+", doc):
        for n in range(lo, hi + 1):
            grams.extend(run[i:i + n] for i in range(len(run) - n + 1))
    return grams


class Tokens:
    """Cached analyzers: words and character n-grams of a document string."""

    def __init__(self):
        self.words: dict[str, list[str]] = {}
        self.chars: dict[tuple, list[str]] = {}

    def word(self, doc: str) -> list[str]:
        if doc not in self.words:
            self.words[doc] = topics.word_tokens(doc)
        return self.words[doc]

    def char(self, doc: str, rng: tuple[int, int]) -> list[str]:
        key = (doc, rng)
        if key not in self.chars:
            self.chars[key] = topics.char_ngrams(doc) if rng == (1, 3) else char_ngrams(doc, *rng)
        return self.chars[key]


def fold_matrices(pd, thuc, spec, fold, folds, tok):
    """Per fold: (train_idx, test_idx, x_train, x_test) for feature spec ``spec``."""
    from scipy import sparse
    from sklearn.feature_extraction.text import TfidfVectorizer

    recs = pd + thuc
    docs = [prepare(r.get("text") or "", r.get("headline") or "", spec) for r in recs]
    heads = [topics._squash(r.get("headline") or "") for r in recs]
    rng = tuple(spec["char_range"])
    blocks = [(lambda i: tok.word(docs[i]), spec["max_words"]), (lambda i: tok.char(docs[i], rng), spec["max_chars"])]
    if spec["headline_block"]:
        blocks += [(lambda i: tok.word(heads[i]), 10000), (lambda i: tok.char(heads[i], (1, 3)), 20000)]
    flag = sparse.csr_matrix(np.array([[float(topics.HeadlineOnly.flag(d))] for d in docs], dtype=np.float32))
    out = []
    for k in range(folds):
        train_idx, test_idx = np.flatnonzero(fold != k), np.flatnonzero(fold == k)
        xs_train, xs_test = [], []
        for analyzer, max_features in blocks:
            vec = TfidfVectorizer(analyzer=analyzer, sublinear_tf=spec["sublinear"], min_df=spec["min_df"],
                                  max_features=max_features, dtype=np.float32)
            xs_train.append(vec.fit_transform(train_idx))
            xs_test.append(vec.transform(test_idx))
        xs_train.append(flag[train_idx])
        xs_test.append(flag[test_idx])
        out.append((train_idx, test_idx, sparse.hstack(xs_train).tocsr(), sparse.hstack(xs_test).tocsr()))
    return out


def label_weights(y, w, class_weight):
    """Sample weights times class weights ("balanced", "sqrt" = square root of balanced, or None)."""
    if class_weight is None:
        return w
    n, pos = len(y), max(int(y.sum()), 1)
    cw = np.array([n / (2 * (n - pos)), n / (2 * pos)])
    if class_weight == "sqrt":
        cw = np.sqrt(cw)
    return w * cw[y]


def fit_predict(x_train, x_test, label_sets, labels, weights, setting):
    """(primary scores, OvR probabilities) of the test rows: both (rows x labels)."""
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.linear_model import LogisticRegression, SGDClassifier
    from sklearn.naive_bayes import ComplementNB
    from sklearn.svm import LinearSVC

    kind, cw = setting["kind"], setting["class_weight"]
    if kind in ("lr", "softmax", "cnb"):
        if cw == "sqrt":
            probs = np.zeros((x_test.shape[0], len(labels)))
            for j, lab in enumerate(labels):
                y = np.array([lab in labs for labs in label_sets], dtype=np.int64)
                secondary = np.array([lab in labs[1:] for labs in label_sets])
                w = np.where(secondary, weights * setting["secondary_weight"], weights)
                lr = LogisticRegression(C=setting["c"], max_iter=2000, solver="liblinear", random_state=0)
                lr.fit(x_train, y, sample_weight=label_weights(y, w, "sqrt"))
                probs[:, j] = lr.predict_proba(x_test)[:, 1]
        else:
            coef, intercept = topics.fit_linear(x_train, label_sets, labels, weights, c=setting["c"],
                                                class_weight=cw, secondary_weight=setting["secondary_weight"])
            probs = 1 / (1 + np.exp(-(np.asarray(x_test @ coef) + intercept)))
        primary = probs
        y1 = np.array([labels.index(labs[0]) for labs in label_sets])
        if kind == "softmax":
            sm = LogisticRegression(C=setting["c"], max_iter=3000, class_weight=cw, random_state=0)
            sm.fit(x_train, y1, sample_weight=weights)
            primary = _full(sm.predict_proba(x_test), sm.classes_, len(labels))
        elif kind == "cnb":
            nb = ComplementNB(alpha=0.3)
            nb.fit(x_train, y1, sample_weight=label_weights_multiclass(y1, weights, cw))
            p_nb = _full(nb.predict_proba(x_test), nb.classes_, len(labels))
            primary = 0.5 * probs / probs.sum(axis=1, keepdims=True) + 0.5 * p_nb
        return primary, probs
    probs = np.zeros((x_test.shape[0], len(labels)))
    for j, lab in enumerate(labels):
        y = np.array([lab in labs for labs in label_sets], dtype=np.int64)
        secondary = np.array([lab in labs[1:] for labs in label_sets])
        w = label_weights(y, np.where(secondary, weights * setting["secondary_weight"], weights), cw)
        base = (LinearSVC(C=0.5, random_state=0) if kind == "svc"
                else SGDClassifier(loss="modified_huber", alpha=2e-5, max_iter=50, tol=1e-4, random_state=0))
        cal = CalibratedClassifierCV(base, method="sigmoid", cv=3, ensemble=False)
        cal.fit(x_train, y, sample_weight=w)
        probs[:, j] = cal.predict_proba(x_test)[:, 1]
    return probs, probs


def label_weights_multiclass(y, w, cw):
    if cw is None:
        return w
    counts = np.bincount(y, weights=w, minlength=y.max() + 1)
    cls = w.sum() / (len(counts) * np.maximum(counts, 1e-9))
    return w * (np.sqrt(cls[y]) if cw == "sqrt" else cls[y])


def _full(p, classes, n):
    out = np.zeros((p.shape[0], n))
    out[:, classes] = p
    return out


def predicted_labels(primary_row, prob_row, labels, threshold, max_labels=3):
    """Primary = best primary score; then other labels by OvR probability above ``threshold``
    (for plain OvR this is ``TopicModel._topics``)."""
    first = int(np.argmax(primary_row))
    out = [labels[first]]
    for i in np.argsort(-prob_row, kind="stable"):
        if len(out) >= max_labels or prob_row[i] < threshold:
            break
        if i != first:
            out.append(labels[i])
    return out


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--seed", default="cv", help="fold assignment: sha1(seed + ':' + id)")
    ap.add_argument("--only", default="", help="comma-separated variant names (default: all)")
    ap.add_argument("--shared-data", type=Path, default=topics.default_shared_data())
    args = ap.parse_args()

    pd = topics.read_records(HERE / "pd1998_labels.jsonl", shared_data=args.shared_data, split="train")
    thuc = topics.read_records(HERE / "thucnews_dev.jsonl", shared_data=args.shared_data, split="train")
    print(f"{len(pd)} training articles, {len(thuc)} THUCNews titles, {args.folds} folds by sha1('{args.seed}:'+id)",
          flush=True)
    label_sets = [list(r["labels"]) for r in pd + thuc]
    is_thuc = np.array([False] * len(pd) + [True] * len(thuc))
    fold = np.array([fold_of(r["id"], args.folds, args.seed) for r in pd] + [-1] * len(thuc))
    labels = [x for x in topics.DEFAULT_LABELS if any(x in labs for labs in label_sets)]
    wanted = [v for v in VARIANTS if not args.only or v[0] in args.only.split(",")]
    if wanted[0][0] != "shipped":
        wanted = [VARIANTS[0]] + wanted
    tok = Tokens()
    cache: dict[str, list] = {}
    shipped_s = None
    for name, f_over, m_over in wanted:
        t0 = time.time()
        spec, setting = {**SHIPPED_FEATURES, **f_over}, {**SHIPPED_MODEL, **m_over}
        key = repr(sorted(spec.items()))
        if key not in cache:
            cache.clear() if len(cache) > 1 else None
            cache[key] = fold_matrices(pd, thuc, spec, fold, args.folds, tok)
        per_t = {t: [] for t in THRESHOLDS}
        for train_idx, test_idx, x_train, x_test in cache[key]:
            weights = np.where(is_thuc[train_idx], setting["thucnews_weight"], 1.0)
            keep = weights > 0
            primary, probs = fit_predict(x_train[keep], x_test, [label_sets[i] for i in train_idx[keep]], labels,
                                         weights[keep], setting)
            gold = [label_sets[i] for i in test_idx]
            for t in THRESHOLDS:
                pred = [predicted_labels(p, q, labels, t) for p, q in zip(primary, probs)]
                per_t[t].append(topics.score_labels(gold, pred, labels))
        best_t = max(THRESHOLDS, key=lambda t: np.mean([s["macro_f1"] for s in per_t[t]]))
        top1 = np.array([s["top1_accuracy"] for s in per_t[best_t]])
        macro = np.array([s["macro_f1"] for s in per_t[best_t]])
        s = top1 + macro
        se = s.std(ddof=1) / math.sqrt(len(s))
        if shipped_s is None:
            shipped_s = s
        diff = s - shipped_s
        print(f"{name:24s} top1 {top1.mean():.4f} (sd {top1.std(ddof=1):.4f})  macro_f1 {macro.mean():.4f} "
              f"(sd {macro.std(ddof=1):.4f})  S {s.mean():.4f} (se {se:.4f})  dS {diff.mean():+.4f} "
              f"(paired se {diff.std(ddof=1) / math.sqrt(len(s)):.4f})  threshold {best_t}  {time.time() - t0:.0f} s",
              flush=True)


if __name__ == "__main__":
    main()
