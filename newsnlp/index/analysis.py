"""Text analysis for the index: normalisation, jieba words, character bigrams.

Both the index and the query side run text through :func:`normalize` (NFKC for
full-width/half-width, OpenCC ``t2s`` for traditional/simplified, lower case), so
``ＡＢＣ１２３`` finds ``abc123`` and ``國務院`` finds ``国务院``.

Two token streams, each with *consecutive* positions so that phrase queries work
(jieba's own ``ChineseAnalyzer`` stores character offsets as positions and emits
overlapping words, so every phrase query fails):

* :func:`word_tokens`: jieba precise-mode words (shipped user dictionary, through rjieba for
  speed: :func:`newsnlp.segment.fast_cut`), punctuation dropped;
* :func:`bigram_tokens`: overlapping character bigrams of each run of letters, digits and
  CJK characters (a lone character stays a unigram) — this catches words jieba splits
  differently, unknown names, OCR damage and any verbatim substring (``"0多个"`` inside
  ``10多个``).

Whoosh analyzers :class:`WordAnalyzer`, :class:`BigramAnalyzer` and
:class:`KeywordAnalyzer` wrap them.  A field value that starts with :data:`PRETOKENIZED`
carries tokens already computed (in an ingest worker process), joined by ``\\x1f``.
"""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from pathlib import Path

from whoosh.analysis import Analyzer, Token

PRETOKENIZED = "\x1e"
_SEP = "\x1f"

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
_BIGRAM_RUN = re.compile(rf"[{_CJK}a-z0-9]+")
_WORDLIKE = re.compile(rf"[{_CJK}a-z0-9]")
_QUOTES = str.maketrans({"“": '"', "”": '"', "「": '"', "」": '"', "『": '"', "』": '"', "＂": '"'})


@lru_cache(maxsize=1)
def _t2s():
    import opencc

    return opencc.OpenCC("t2s")


@lru_cache(maxsize=1)
def _traditional_chars() -> frozenset[str]:
    """Characters that OpenCC's t2s table changes (read from its shipped dictionary)."""
    import opencc

    path = Path(opencc.__file__).with_name("dictionary") / "TSCharacters.txt"
    chars = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2 and parts[0] != parts[1] and len(parts[0]) == 1:
            chars.add(parts[0])
    return frozenset(chars)


def has_traditional(text: str) -> bool:
    return not _traditional_chars().isdisjoint(text)


def normalize(text: str) -> str:
    """NFKC (full-width -> half-width), traditional -> simplified, lower case."""
    text = unicodedata.normalize("NFKC", text)
    if not text.isascii() and has_traditional(text):  # OpenCC is slow; most text is simplified
        text = _t2s().convert(text)
    return text.lower()


def normalize_query(query: str) -> str:
    """A query string with full-width operators and CJK quotes made plain (case kept for AND/OR/NOT)."""
    return unicodedata.normalize("NFKC", query).translate(_QUOTES)


def word_tokens(text: str, *, normalized: bool = False) -> list[str]:
    """jieba precise-mode words of ``text`` after normalisation, punctuation and spaces dropped."""
    from newsnlp import segment

    if not normalized:
        text = normalize(text)
    return [w for w in segment.fast_cut(text) if _WORDLIKE.search(w)] if text else []


def bigram_tokens(text: str, *, normalized: bool = False) -> list[str]:
    """Overlapping character bigrams of each run of letters, digits and CJK characters."""
    if not normalized:
        text = normalize(text)
    out: list[str] = []
    for m in _BIGRAM_RUN.finditer(text):
        run = m.group()
        if len(run) == 1:
            out.append(run)
        else:
            out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out


def pretokenized(tokens: list[str]) -> str:
    """A field value the analyzers below index as ``tokens`` unchanged."""
    return PRETOKENIZED + _SEP.join(tokens)


def _emit(texts, positions: bool, chars: bool, boost: float, removestops: bool = True):
    token = Token(positions=positions, chars=chars, boost=boost, removestops=removestops)
    char = 0
    for pos, text in enumerate(texts):
        token.text = text
        token.stopped = False
        if positions:
            token.pos = pos
        if chars:  # offsets into the tokens laid end to end (the query parser needs some)
            token.startchar, token.endchar = char, char + len(text)
            char += len(text)
        yield token


class _TokenListAnalyzer(Analyzer):
    """An analyzer defined by a function ``text -> list of token strings``."""

    def split(self, value: str) -> list[str]:  # pragma: no cover - abstract
        raise NotImplementedError

    def __call__(self, value, positions=False, chars=False, keeporiginal=False, removestops=True,
                 start_pos=0, start_char=0, tokenize=True, mode="", boost=1.0, **kwargs):
        if value.startswith(PRETOKENIZED):
            texts = value[1:].split(_SEP) if len(value) > 1 else []
        else:
            texts = self.split(value)
        return _emit(texts, positions, chars, boost, removestops)

    def __eq__(self, other):
        return type(self) is type(other)


class WordAnalyzer(_TokenListAnalyzer):
    """jieba words with consecutive positions."""

    def split(self, value: str) -> list[str]:
        return word_tokens(value)


class BigramAnalyzer(_TokenListAnalyzer):
    """Character bigrams with consecutive positions."""

    def split(self, value: str) -> list[str]:
        return bigram_tokens(value)


class KeywordAnalyzer(_TokenListAnalyzer):
    """Comma-separated values, each normalised and kept whole (names, topics, ``name|title``)."""

    def split(self, value: str) -> list[str]:
        return [v for v in (normalize(x).strip() for x in value.split(",")) if v]
