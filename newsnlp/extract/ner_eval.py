"""Entity-level exact-match scores of the name finder on BIO gold (MSRA test).

``newsnlp eval ner`` prints these; ``baseline=True`` scores jieba's POS tags
(nr/ns/nt as PER/LOC/ORG) the same way, for comparison.
"""
from __future__ import annotations

from collections import Counter
from pathlib import Path

from newsnlp.errors import InputError
from newsnlp.extract.entities import bio_spans, entities, model_spans
from newsnlp.extract import ner_features

TYPES = ("PER", "LOC", "ORG")
_CODES = {"person": "PER", "place": "LOC", "org": "ORG"}
_POS = {"nr": "PER", "ns": "LOC", "nt": "ORG"}


def predict_shipped(text: str) -> set[tuple[int, int, str]]:
    """What :func:`newsnlp.extract.entities.entities` reports (anaphora left out)."""
    return {(x.start, x.end, _CODES[x.type]) for x in entities(text) if x.refers_to is None}


def predict_model(text: str) -> set[tuple[int, int, str]]:
    """The CRF model alone, without the organisation rules."""
    return set(model_spans(text))


def predict_jieba(text: str) -> set[tuple[int, int, str]]:
    """Baseline: every jieba.posseg token tagged nr/ns/nt."""
    import jieba.posseg

    spans, pos = set(), 0
    for pair in jieba.posseg.cut(text):
        n = len(pair.word)
        kind = _POS.get(pair.flag)
        if kind:
            spans.add((pos, pos + n, kind))
        pos += n
    return spans


def score(path: Path, predict) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per type and overall of ``predict(text)`` on a BIO file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such BIO file: {path}")
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for text, tags in ner_features.read_bio(path):
        gold = set(bio_spans(tags))
        pred = predict(text)
        for s in pred:
            n_pred[s[2]] += 1
            if s in gold:
                tp[s[2]] += 1
        for s in gold:
            n_gold[s[2]] += 1
    out = {}
    for kind in (*TYPES, "overall"):
        keys = TYPES if kind == "overall" else (kind,)
        t = sum(tp[k] for k in keys)
        p = sum(n_pred[k] for k in keys)
        g = sum(n_gold[k] for k in keys)
        prec = t / p if p else 0.0
        rec = t / g if g else 0.0
        f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
        out[kind] = {"precision": prec, "recall": rec, "f1": f1, "gold": g, "predicted": p}
    return out
