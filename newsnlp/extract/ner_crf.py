"""A linear-chain CRF tagger in numpy, reading weights exported from crfsuite.

python-crfsuite trains the model (``benchmarks/train_ner.py``), but its tagger
spends most of its time converting feature strings; here the features are weight
rows (see ``ner_features.rows``), emissions are summed with numpy and the Viterbi
runs over all sentences of a text at once.  On MSRA test sentences it gives the
same labels as crfsuite's own tagger (compared when the model was exported).

Model file (gzip text): ``labels\\t<l1> <l2> ...``, then ``T\\t<from>\\t<to>\\t<w>``
transition lines, then ``<attribute>\\t<label index>\\t<weight>`` state features.
"""
from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np
from itertools import chain


class CRF:
    """Weights of a trained linear-chain CRF: ``tag`` sequences of feature columns."""

    def __init__(self, labels: list[str], attributes: dict[str, int], state: np.ndarray, trans: np.ndarray):
        self.labels = labels
        self.attributes = attributes  # attribute -> row of ``state`` (row 0: unknown, all zeros)
        self.state = state  # (n_attributes + 1, n_labels)
        self.trans = trans  # (n_labels, n_labels): from, to

    @classmethod
    def load(cls, path: Path) -> "CRF":
        labels: list[str] = []
        trans_rows: list[tuple[int, int, float]] = []
        attributes: dict[str, int] = {}
        cells: list[tuple[int, int, float]] = []
        with gzip.open(path, "rt", encoding="utf-8") as f:
            labels = f.readline().rstrip("\n").split("\t")[1].split(" ")
            index = {lab: i for i, lab in enumerate(labels)}
            for line in f:
                a, b, c = line.rstrip("\n").split("\t")
                if a == "T" and b in index:
                    to, w = c.split(" ")
                    trans_rows.append((index[b], index[to], float(w)))
                    continue
                row = attributes.setdefault(a, len(attributes) + 1)
                cells.append((row, int(b), float(c)))
        state = np.zeros((len(attributes) + 1, len(labels)), dtype=np.float64)
        for row, col, w in cells:
            state[row, col] = w
        trans = np.zeros((len(labels), len(labels)), dtype=np.float64)
        for i, j, w in trans_rows:
            trans[i, j] = w
        return cls(labels, attributes, state, trans)

    def emissions_from_rows(self, rows: np.ndarray) -> np.ndarray:
        """(n, n_labels) state scores from a (templates, n) array of attribute rows."""
        return self.state[rows].sum(axis=0)

    def emissions(self, columns: list[list[str | None]]) -> np.ndarray:
        """(n, n_labels) state scores of a sequence given its feature columns."""
        get = self.attributes.get
        ids = np.array([[get(x, 0) for x in col] for col in columns], dtype=np.int64)
        return self.state[ids].sum(axis=0)

    def viterbi(self, emit: np.ndarray, bounds: list[tuple[int, int]]) -> list[int]:
        """Best label index per position, decoding each ``(start, end)`` of ``emit``
        on its own; all segments advance together, one numpy step per position.

        Segments are taken longest first, so at step ``t`` the ones still running are a
        prefix of the batch: no step works on a finished (padded) segment."""
        k = len(self.labels)
        labels = [0] * len(emit)
        bounds = sorted(((s, e) for s, e in bounds if e > s), key=lambda b: b[0] - b[1])
        if not bounds:
            return labels
        lens = np.array([e - s for s, e in bounds])
        width = int(lens[0])
        starts = np.array([s for s, _ in bounds])
        # running[t]: how many segments (a prefix, lens descending) cover position t
        running = np.searchsorted(-lens, -np.arange(width), side="left")
        pos = np.minimum(starts[:, None] + np.arange(width)[None, :], len(emit) - 1)
        batch = emit[pos]  # (B, width, k), rows past a segment's end never read
        score = batch[:, 0].copy()
        back = np.zeros((len(bounds), width, k), dtype=np.int8 if k < 128 else np.int64)
        trans = self.trans[None]
        for t in range(1, width):
            n = running[t]
            cand = score[:n, :, None] + trans  # (n, from, to)
            back[:n, t] = cand.argmax(axis=1)
            score[:n] = cand.max(axis=1) + batch[:n, t]
        cur = score.argmax(axis=1)  # each segment's last label (its score froze at its end)
        path = np.zeros((len(bounds), width), dtype=np.int64)
        for t in range(width - 1, -1, -1):
            n = running[t]
            path[:n, t] = cur[:n]
            if t:
                cur[:n] = back[np.arange(n), t, cur[:n]]
        for b, (s, e) in enumerate(bounds):
            labels[s:e] = path[b, :e - s].tolist()
        return labels

    def tag(self, sequences: list[list[list[str | None]]]) -> list[list[str]]:
        """Best label sequence of each sequence of feature columns."""
        lengths = [len(cols[0]) if cols else 0 for cols in sequences]
        if not sum(lengths):
            return [[] for _ in sequences]
        merged = merge_columns(sequences)
        bounds, offset = [], 0
        for n in lengths:
            bounds.append((offset, offset + n))
            offset += n
        flat = self.viterbi(self.emissions(merged), bounds)
        names = self.labels
        return [[names[j] for j in flat[s:e]] for s, e in bounds]


def merge_columns(sequences: list[list[list[str | None]]]) -> list[list[str | None]]:
    """The feature columns of several sequences joined end to end."""
    sequences = [cols for cols in sequences if cols]
    if not sequences:
        return []
    return [list(chain.from_iterable(cols[j] for cols in sequences)) for j in range(len(sequences[0]))]


def export_crfsuite(model_path: Path, out_path: Path) -> int:
    """Write the non-zero weights of a crfsuite model in this module's format."""
    import pycrfsuite

    tagger = pycrfsuite.Tagger()
    tagger.open(str(model_path))
    info = tagger.info()
    labels = sorted(info.labels, key=lambda lab: int(info.labels[lab]))
    index = {lab: i for i, lab in enumerate(labels)}
    with gzip.open(out_path, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write("labels\t" + " ".join(labels) + "\n")
        for (a, b), w in sorted(info.transitions.items()):
            f.write(f"T\t{a}\t{b} {w:.6g}\n")
        for (attr, lab), w in sorted(info.state_features.items()):
            if w and "\t" not in attr and "\n" not in attr:
                f.write(f"{attr}\t{index[lab]}\t{w:.6g}\n")
    return len(info.state_features)
