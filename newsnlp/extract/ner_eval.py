"""Entity-level exact-match scores of the name finder on BIO gold (MSRA test) and
on People's Daily January 1998 (PKU POS corpus) converted to MSRA conventions.

``newsnlp eval ner`` prints these; ``baseline=True`` scores jieba's POS tags
(nr/ns/nt as PER/LOC/ORG) the same way, for comparison.  People's Daily 1998 is
text the model never saw (MSRA train/test share no sentences with it), but the
shipped lexicon feature was built from it, so PER there is optimistic: compare
systems on it, do not read its absolute figures as real-world accuracy.
"""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path
from typing import Callable, Iterable, Iterator

from newsnlp.errors import InputError
from newsnlp.extract.entities import bio_spans, entities, is_anaphor, model_spans, name_span
from newsnlp.extract import ner_features

TYPES = ("PER", "LOC", "ORG")
_CODES = {"person": "PER", "place": "LOC", "org": "ORG"}
_POS = {"nr": "PER", "ns": "LOC", "nt": "ORG"}


def predict_shipped(text: str) -> set[tuple[int, int, str]]:
    """What :func:`newsnlp.extract.entities.entities` reports (anaphora left out)."""
    return {(*name_span(x), _CODES[x.type]) for x in entities(text) if not is_anaphor(x)}


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


Span = tuple[int, int, str]
# (text, gold spans, ignored regions): a prediction overlapping an ignored region
# is neither right nor wrong (gold there follows another convention).
Example = tuple[str, list[Span], list[tuple[int, int]]]


def score(path: Path, predict) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per type and overall of ``predict(text)`` on a BIO file."""
    path = Path(path)
    if not path.is_file():
        raise InputError(f"no such BIO file: {path}")
    return score_examples(((text, bio_spans(tags), []) for text, tags in ner_features.read_bio(path)), predict)


def score_examples(examples: Iterable[Example], predict: Callable[[str], set[Span]]) -> dict[str, dict[str, float]]:
    """Precision, recall and F1 per type and overall of ``predict(text)`` on ``examples``."""
    tp, n_pred, n_gold = Counter(), Counter(), Counter()
    for text, gold, ignored in examples:
        gold = set(gold)
        for s in predict(text):
            if any(a < s[1] and s[0] < b for a, b in ignored):
                continue
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


# --- People's Daily January 1998 (PKU) -> MSRA-style spans ----------------------
# Mapping (MSRA conventions where they are known, "ignored" where they are not):
#   [..]nt -> ORG (whole bracket; [X/ns 政府/n]nt -> LOC X, as MSRA tags 中国政府);
#   [..]ns -> LOC; [..]nz/i/l -> ignored; nt -> ORG; ns -> LOC;
#   nr runs -> PER, pairing surname + given name (江/nr 泽民/nr), so that lists
#   printed without separators (李/nr 鹏/nr 乔/nr 石/nr) stay separate people;
#   j of one character (中/j 美/j 俄/j 京/j) and two place characters (中美) -> LOC
#   per character, other j (十五大 欧盟 政协 人大 经贸) -> ignored; nz (人民日报,
#   中华, 藏族) and 两岸/大陆/神州/海内外 -> ignored.
_COMPOUND_SURNAMES = frozenset("欧阳 司马 诸葛 上官 东方 皇甫 尉迟 公孙 慕容 长孙 宇文 司徒 夏侯 令狐 端木 "
                               "轩辕 澹台 西门 南宫 独孤 呼延 万俟 闻人 申屠".split())
_PLACE_ABBREVIATIONS = frozenset("中美俄日英法德朝韩台港澳印巴以意加越泰欧亚非苏蒙菲京沪津渝冀晋辽吉黑浙皖闽赣鲁豫鄂湘粤桂琼川黔滇藏陕甘"
                                 "伊阿哈叙约埃土沙")
_UNLABELLED_PLACES = frozenset(("两岸", "大陆", "神州", "中华", "海内外", "港澳台"))
_SENTENCE_END = re.compile(r"[。！？]+[”’」』]*")


def _people(names: list[tuple[int, int, str]]) -> list[Span]:
    """PER spans of a run of adjacent nr tokens ``(start, end, word)``: surname and given
    name paired (李 鹏 乔 石 -> 李鹏, 乔石); a run of two is one name (欧阳 山尊,
    雪村 守仁), as is 1+1+2 (陈 方 安生, a married woman's double surname)."""
    if not names:
        return []
    lens = tuple(len(w) for _, _, w in names)
    if len(names) <= 2 or lens == (1, 1, 2):
        return [(names[0][0], names[-1][1], "PER")]
    out, i = [], 0
    while i < len(names):
        word = names[i][2]
        if i + 1 < len(names) and (len(word) == 1 or word in _COMPOUND_SURNAMES):
            out.append((names[i][0], names[i + 1][1], "PER"))
            i += 2
        else:
            out.append((names[i][0], names[i][1], "PER"))
            i += 1
    return out


def pd1998_paragraph(line: str) -> tuple[str, list[Span], list[tuple[int, int]]]:
    """Text, MSRA-style PER/LOC/ORG spans and ignored regions of one 199801.txt line
    (``YYYYMMDD-PP-AAA-NNN/m  word/pos  [word/pos  word/pos]nt ...``)."""
    text = ""
    spans: list[Span] = []
    ignored: list[tuple[int, int]] = []
    compound: list[tuple[int, int, str]] | None = None
    names: list[tuple[int, int, str]] = []  # the current run of nr tokens

    def end_names():
        spans.extend(_people(names))
        names.clear()

    for token in line.split()[1:]:
        if token.startswith("[") and len(token) > 1 and compound is None:
            token, compound = token[1:], []
        outer = None
        if compound is not None and "]" in token:
            token, _, outer = token.rpartition("]")
        word, slash, pos = token.rpartition("/")
        if not slash:
            word, pos = token, ""
        start, text = len(text), text + word
        end = len(text)
        if pos != "nr" or compound is not None:
            end_names()
        if compound is not None:
            compound.append((start, end, pos))
            if outer is not None:
                first = compound[0]
                if outer == "nt" and len(compound) == 2 and first[2] == "ns" and text[start:end] == "政府":
                    spans.append((first[0], first[1], "LOC"))
                elif outer in ("nt", "ns"):
                    spans.append((first[0], end, "ORG" if outer == "nt" else "LOC"))
                else:
                    ignored.append((first[0], end))
                compound = None
            continue
        if pos == "nr":
            names.append((start, end, word))
        elif pos == "ns" and word not in _UNLABELLED_PLACES:
            spans.append((start, end, "LOC"))
        elif pos == "nt":
            spans.append((start, end, "ORG"))
        elif pos == "j" and len(word) <= 2 and all(c in _PLACE_ABBREVIATIONS for c in word) \
                and (len(word) == 1 or len(set(word)) == 2):
            spans.extend((k, k + 1, "LOC") for k in range(start, end))
        elif pos in ("j", "nz") or word in _UNLABELLED_PLACES:
            ignored.append((start, end))
    end_names()
    if compound:  # an unclosed bracket: its words are left unjudged
        ignored.append((compound[0][0], len(text)))
    return text, sorted(spans), ignored


def pd1998_examples(path: Path, *, days: set[int] | None = None) -> Iterator[Example]:
    """Sentences (split after 。！？ and a closing quote, never inside a name) of
    199801.txt with their gold spans and ignored regions, for days in ``days``."""
    path = Path(path)
    if path.is_dir():
        path = path / "199801.txt"
    if not path.is_file():
        raise InputError(f"no People's Daily 1998 file: {path} (expected 199801.txt)")
    with open(path, encoding="utf-8") as f:
        for line in f:
            if not line.strip():
                continue
            if days is not None and int(line[6:8]) not in days:
                continue
            text, spans, ignored = pd1998_paragraph(line)
            marks = [*spans, *((a, b, "") for a, b in ignored)]
            cuts = [m.end() for m in _SENTENCE_END.finditer(text)
                    if not any(a < m.end() < b for a, b, _ in marks)]
            start = 0
            for end in [*cuts, len(text)]:
                if text[start:end].strip():
                    yield (text[start:end],
                           [(a - start, b - start, k) for a, b, k in spans if start <= a and b <= end],
                           [(a - start, b - start) for a, b in ignored if start <= a and b <= end])
                start = end


def parse_days(spec: str) -> set[int]:
    """``"21-31"``, ``"5"`` or ``"1-10,15"`` -> the days of January 1998."""
    days: set[int] = set()
    for part in spec.replace(" ", "").split(","):
        m = re.fullmatch(r"(\d{1,2})(?:-(\d{1,2}))?", part)
        if not m:
            raise InputError(f"bad --days {spec!r}: use e.g. 21-31 or 1-10,15")
        lo, hi = int(m.group(1)), int(m.group(2) or m.group(1))
        if not 1 <= lo <= hi <= 31:
            raise InputError(f"bad --days {spec!r}: days of January run 1-31")
        days.update(range(lo, hi + 1))
    return days
