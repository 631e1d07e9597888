"""Character features for the shipped CRF named-entity model.

Shared by training (``benchmarks/train_ner.py``) and tagging
(:mod:`newsnlp.extract.entities`), so the two can never drift apart.  Per
character: the characters in a +-2 window, four bigrams, the character types
around it, the jieba word it falls in (word and B/M/E/S position), and matches
of a People's Daily 1998 entity lexicon (type and B/I/E position).  Strings are
built once per character and reused, so a feature vector costs a few list
operations rather than a dozen string formats.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterator

FEATURE_VERSION = 1
DATA_DIR = Path(__file__).resolve().parent.parent / "data"

# Full-width ASCII (MSRA and People's Daily print digits as １９９８) -> half-width.
_WIDTH = {c: c - 0xFEE0 for c in range(0xFF01, 0xFF5F)}
_WIDTH[0x3000] = 0x20


def normalise(text: str) -> str:
    """Full-width ASCII to half-width; same length, so offsets are kept."""
    return text.translate(_WIDTH)


def read_bio(path) -> Iterator[tuple[str, list[str]]]:
    """Yield (text, tags) sentences of a one-character-per-line BIO file
    (``char<TAB or SPACE>tag``, blank line between sentences)."""
    chars: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if not line.strip():
                if chars:
                    yield "".join(chars), tags
                chars, tags = [], []
                continue
            ch, _, tag = line.replace(" ", "\t").rpartition("\t")
            chars.append(ch[:1] or " ")
            tags.append(tag)
    if chars:
        yield "".join(chars), tags


@lru_cache(maxsize=8192)
def char_type(ch: str) -> str:
    """One letter: d digit, c Chinese numeral, l Latin, h Han, p punctuation, s space, o other."""
    if ch.isdigit():
        return "d"
    if ch in "零一二三四五六七八九十百千万亿两〇":
        return "c"
    if ch.isascii() and ch.isalpha():
        return "l"
    if "\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf":
        return "h"
    if ch.isspace():
        return "s"
    if unicodedata.category(ch).startswith("P"):
        return "p"
    return "o"


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], frozenset[str]]:
    """Entity lexicon (name -> PER/LOC/ORG) and the set of its proper prefixes."""
    path = DATA_DIR / "ner-lexicon.txt"
    words: dict[str, str] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            word, _, kind = line.rstrip("\n").partition("\t")
            if word and kind:
                words[word] = kind
    return words, frozenset(w[:k] for w in words for k in range(1, len(w)))


_HEADS: dict[int, frozenset[str]] = {}


def _heads(key: int, words: dict[str, str]) -> frozenset[str]:
    """First two characters of every lexicon word (a match can only start there)."""
    heads = _HEADS.get(key)
    if heads is None:
        heads = _HEADS[key] = frozenset(w[:2] for w in words if len(w) >= 2)
    return heads


def lexicon_tags(text: str, words: dict[str, str], prefixes: frozenset[str]) -> list[str | None]:
    """Per character, the position and type of the longest lexicon match covering it."""
    n = len(text)
    tags: list[str | None] = [None] * n
    best = [0] * n
    heads = _heads(id(words), words)
    for i in [i for i in range(n - 1) if text[i:i + 2] in heads]:
        j = i + 2
        found = 0
        kind = None
        while j <= n:
            piece = text[i:j]
            k = words.get(piece)
            if k is not None:
                found, kind = j - i, k
            if piece not in prefixes:
                break
            j += 1
        if found and found > best[i]:
            tags[i] = "B" + kind
            best[i] = found
            for m in range(i + 1, i + found - 1):
                if found > best[m]:
                    tags[m], best[m] = "I" + kind, found
            last = i + found - 1
            if found > best[last]:
                tags[last], best[last] = "E" + kind, found
    return tags


@lru_cache(maxsize=4)
def surnames(min_count: int = 1) -> frozenset[str]:
    """First characters of at least ``min_count`` person names of 2-3 characters in the lexicon."""
    from collections import Counter

    words, _ = lexicon()
    counts = Counter(w[0] for w, kind in words.items() if kind == "PER" and 2 <= len(w) <= 3)
    return frozenset(c for c, k in counts.items() if k >= min_count)


def is_word(text: str) -> bool:
    """Is ``text`` in jieba's stock dictionary?"""
    return _has_word()(text)


@lru_cache(maxsize=1)
def _has_word():
    try:
        import rjieba

        return rjieba.Jieba().has_word
    except ImportError:
        import jieba

        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return lambda w: tokenizer.FREQ.get(w, 0) > 0


@lru_cache(maxsize=1)
def _cut():
    """``cut(text) -> words`` with the stock jieba dictionary only (user dictionaries
    loaded elsewhere must not change the features the model was trained on).
    rjieba (jieba-rs, same dictionary and algorithm, ~17x faster) when installed."""
    try:
        import rjieba

        segmenter = rjieba.Jieba()
        return lambda text: segmenter.cut(text, True)
    except ImportError:
        import logging

        import jieba

        jieba.setLogLevel(logging.WARNING)
        tokenizer = jieba.Tokenizer()
        tokenizer.initialize()
        return lambda text: tokenizer.lcut(text, HMM=True)


_POS = {1: ("S",), 2: ("B", "E")}


def jieba_tags(text: str) -> tuple[list[str], list[str]]:
    """Per character, the jieba word it is in and its B/M/E/S position in that word."""
    words: list[str] = []
    pos: list[str] = []
    for w in _cut()(text):
        n = len(w)
        words.extend([w] * n)
        tags = _POS.get(n)
        if tags is None:
            tags = _POS[n] = ("B",) + ("M",) * (n - 2) + ("E",)
        pos.extend(tags)
    return words, pos


def columns(text: str) -> list[list[str | None]]:
    """The feature strings of ``text`` by template: one list per template, one entry
    per character (``None`` where a template does not fire)."""
    text = normalise(text)
    n = len(text)
    if n == 0:
        return []
    padded = "^^" + text + "$$"
    types = "^^" + "".join(map(char_type, text)) + "$$"
    words, wpos = jieba_tags(text)
    lex_words, lex_prefixes = lexicon()
    c_2, c_1, c0, c1, c2 = padded[:n], padded[1:n + 1], padded[2:n + 2], padded[3:n + 3], padded[4:n + 4]
    return [
        ["a" + c for c in c_2],
        ["b" + c for c in c_1],
        ["c" + c for c in c0],
        ["d" + c for c in c1],
        ["e" + c for c in c2],
        ["f" + a + b for a, b in zip(c_1, c0)],
        ["g" + a + b for a, b in zip(c0, c1)],
        ["h" + a + b for a, b in zip(c_2, c_1)],
        ["i" + a + b for a, b in zip(c1, c2)],
        ["j" + a + b for a, b in zip(c_1, c1)],
        ["t" + types[i:i + 3] for i in range(1, n + 1)],
        ["p" + p for p in wpos],
        [("w" + w) if len(w) > 1 else "w1" for w in words],
        ["q" + p + str(min(len(w), 6)) for p, w in zip(wpos, words)],
        [None if t is None else "x" + t for t in lexicon_tags(text, lex_words, lex_prefixes)],
    ]


def features(text: str) -> list[list[str]]:
    """Feature strings for each character of ``text`` (python-crfsuite's input)."""
    return [[f for f in row if f is not None] for row in zip(*columns(text))]


# --- fast path: attribute rows straight from the text --------------------------
# ``columns`` builds one string per template and character; the tagger only needs
# each string's row in the weight matrix.  ``Tables`` keys the rows by the raw
# character, bigram or word instead, so one lookup serves several templates and
# no feature string is ever built.  ``rows(text)`` equals mapping ``columns(text)``
# through the attribute dict (tests check it).

_UNI, _BI = "abcde", "fghi"


class Tables:
    """Rows of the weight matrix by template, compiled from ``attribute -> row``."""

    def __init__(self, attributes: dict[str, int]):
        self.uni: dict[str, tuple] = {}
        self.bi: dict[str, tuple] = {}
        uni: dict[str, list[int]] = {}
        bi: dict[str, list[int]] = {}
        self.skip: dict[str, int] = {}
        self.types: dict[str, int] = {}
        self.pos: dict[str, int] = {}
        self.word: dict[str, int] = {}
        self.shape: dict[str, int] = {}
        self.lex: dict[str, int] = {}
        simple = {"j": self.skip, "t": self.types, "p": self.pos, "w": self.word, "q": self.shape, "x": self.lex}
        for attr, row in attributes.items():
            kind, key = attr[0], attr[1:]
            if kind in _UNI and len(key) == 1:
                uni.setdefault(key, [0] * 5)[_UNI.index(kind)] = row
            elif kind in _BI and len(key) == 2:
                bi.setdefault(key, [0] * 4)[_BI.index(kind)] = row
            elif kind in simple:
                simple[kind][key] = row
        self.uni = {k: tuple(v) for k, v in uni.items()}
        # character-type trigrams as a 3-d table over type codes
        import numpy as np

        letters = "dclhspo^$"
        self.type_code = np.zeros(256, dtype=np.int64)
        for i, c in enumerate(letters):
            self.type_code[ord(c)] = i
        self.type_rows = np.zeros((len(letters),) * 3, dtype=np.int64)
        for key, row in self.types.items():
            if len(key) == 3 and all(c in letters for c in key):
                self.type_rows[tuple(letters.index(c) for c in key)] = row
        self.by_length: dict[int, list[int]] = {}
        self.bi = {k: tuple(v) for k, v in bi.items()}
        self.single_word = self.word.get("1", 0)

    def length_rows(self, m: int) -> list[int]:
        """(position row, shape row) pairs, flattened, for the characters of an m-character word."""
        tags = ("S",) if m == 1 else ("B",) + ("M",) * (m - 2) + ("E",)
        size = str(min(m, 6))
        out: list[int] = []
        for t in tags:
            out += [self.pos.get(t, 0), self.shape.get(t + size, 0)]
        self.by_length[m] = out
        return out


_SEP = "$$^^"


def rows_of_sentences(sentences: list[str], tables: Tables):
    """``rows`` of several sentences, concatenated: one pass over the text joined
    with ``$$^^`` (what each sentence's window sees past its ends in training),
    then the separator columns dropped."""
    import numpy as np

    joined = _SEP.join(sentences)
    out = rows(joined, tables, _types="^^" + _SEP.join(
        "".join(map(char_type, normalise(x))) for x in sentences) + "$$")
    if len(sentences) == 1:
        return out
    keep = np.ones(len(joined), dtype=bool)
    pos = 0
    for x in sentences[:-1]:
        pos += len(x)
        keep[pos:pos + len(_SEP)] = False
        pos += len(_SEP)
    return out[:, keep]


def rows(text: str, tables: Tables, *, _types: str | None = None):
    """(15, n) int array: the weight-matrix row of each template at each character."""
    import numpy as np

    text = normalise(text)
    n = len(text)
    padded = "^^" + text + "$$"
    zero5, zero4 = (0,) * 5, (0,) * 4
    uni_get, bi_get = tables.uni.get, tables.bi.get
    uni = np.array([uni_get(c, zero5) for c in padded], dtype=np.int64).reshape(n + 4, 5)
    bi = np.array([bi_get(padded[p:p + 2], zero4) for p in range(n + 3)], dtype=np.int64).reshape(n + 3, 4)
    types = _types or "^^" + "".join(map(char_type, text)) + "$$"
    skip_get = tables.skip.get
    skip = [skip_get(a + b, 0) for a, b in zip(padded[1:n + 1], padded[3:n + 3])]
    codes = tables.type_code[np.frombuffer(types.encode("ascii"), dtype=np.uint8)]
    typ = tables.type_rows[codes[1:n + 1], codes[2:n + 2], codes[3:n + 3]]
    pos_rows: list[int] = []
    word_rows: list[int] = []
    word_get, by_length = tables.word.get, tables.by_length
    for w in _cut()(text):
        m = len(w)
        rows_m = by_length.get(m) or tables.length_rows(m)
        pos_rows.extend(rows_m)
        word_rows.extend([word_get(w, 0) if m > 1 else tables.single_word] * m)
    pos_shape = np.array(pos_rows, dtype=np.int64).reshape(n, 2).T
    lex_words, lex_prefixes = lexicon()
    lex_get = tables.lex.get
    lex = [0 if t is None else lex_get(t, 0) for t in lexicon_tags(text, lex_words, lex_prefixes)]
    return np.vstack([
        uni[0:n, 0], uni[1:n + 1, 1], uni[2:n + 2, 2], uni[3:n + 3, 3], uni[4:n + 4, 4],
        bi[1:n + 1, 0], bi[2:n + 2, 1], bi[0:n, 2], bi[3:n + 3, 3],
        np.array(skip, dtype=np.int64), typ, pos_shape[0], np.array(word_rows, dtype=np.int64),
        pos_shape[1], np.array(lex, dtype=np.int64),
    ])
