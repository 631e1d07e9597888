"""Word segmentation: jieba precise mode with the shipped news/government dictionary.

One :class:`jieba.Tokenizer` per user dictionary, created lazily and cached.
Every tokenizer starts from jieba's main dictionary plus ``newsnlp/data/userdict.txt``
(titles, organisation suffixes, administrative units, campaign terms); a user
dictionary is added on top.

>>> from newsnlp import segment
>>> segment.cut("区党工委书记讲话")
['区', '党工委书记', '讲话']

A user dictionary is a path to a jieba dictionary file (one ``word [freq] [tag]``
per line) or a list of such lines (``["县管校聘", "示范区 10 ns"]``).
"""
from __future__ import annotations

import logging
import tempfile
import threading
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path

from newsnlp.errors import InputError

SHIPPED_USERDICT = Path(__file__).resolve().parent / "data" / "userdict.txt"

UserDict = str | Path | Iterable[str] | None

_lock = threading.Lock()


def _jieba():
    """jieba, imported on first use (importing it costs ~0.1 s; ``jieba.posseg`` ~0.8 s more)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    return jieba


def _dict_key(userdict: UserDict) -> tuple:
    """A hashable key for a user dictionary (a file keys on its path and mtime)."""
    if userdict is None:
        return ()
    if isinstance(userdict, (str, Path)):
        path = Path(userdict).expanduser()
        if not path.is_file():
            raise InputError(f"user dictionary not found: {userdict}")
        return ("file", str(path.resolve()), path.stat().st_mtime_ns)
    return ("words",) + tuple(str(line).strip() for line in userdict if str(line).strip())


def _parse_lines(lines: Iterable[str], source: str) -> list[tuple[str, int | None, str | None]]:
    entries = []
    for number, raw in enumerate(lines, 1):
        line = raw.strip().lstrip("\ufeff")
        if not line or line.startswith("#"):
            continue
        parts = line.split()
        word, freq, tag = parts[0], None, None
        rest = parts[1:]
        if rest and rest[0].isdigit():
            freq = int(rest.pop(0))
        if rest:
            tag = rest[0]
        if len(parts) > 3 or (rest and len(rest) > 1):
            raise InputError(f"{source}:{number}: expected 'word [freq] [tag]', got {line!r}")
        entries.append((word, freq, tag))
    return entries


def _add_lines(tokenizer: jieba.Tokenizer, lines: Iterable[str], source: str) -> None:
    for word, freq, tag in _parse_lines(lines, source):
        tokenizer.add_word(word, freq, tag)


def _read_dict_file(path: Path) -> list[str]:
    try:
        return path.read_text(encoding="utf-8").splitlines()
    except UnicodeDecodeError:
        raise InputError(f"user dictionary is not UTF-8 text: {path}") from None
    except OSError as exc:
        raise InputError(f"cannot read user dictionary {path}: {exc.strerror}") from None


@lru_cache(maxsize=8)
def _tokenizer_for(key: tuple) -> jieba.Tokenizer:
    # jieba's main dictionary is loaded once per process (plain_tokenizer, from jieba's cache
    # file) and copied here: a copy costs a tenth of a second load.
    base = plain_tokenizer()
    tokenizer = _jieba().Tokenizer()
    tokenizer.tmp_dir = base.tmp_dir
    tokenizer.FREQ, tokenizer.total, tokenizer.initialized = dict(base.FREQ), base.total, True
    _add_lines(tokenizer, _read_dict_file(SHIPPED_USERDICT), str(SHIPPED_USERDICT))
    if key and key[0] == "file":
        _add_lines(tokenizer, _read_dict_file(Path(key[1])), key[1])
    elif key:
        _add_lines(tokenizer, key[1:], "<userdict>")
    return tokenizer


def user_entries(userdict: UserDict) -> list[tuple[str, int | None, str | None]]:
    """``(word, freq, tag)`` for every entry of a user dictionary (not the shipped one)."""
    return list(_user_entries_for(_dict_key(userdict)))


@lru_cache(maxsize=8)
def _user_entries_for(key: tuple) -> tuple[tuple[str, int | None, str | None], ...]:
    if not key:
        return ()
    lines = _read_dict_file(Path(key[1])) if key[0] == "file" else list(key[1:])
    return tuple(_parse_lines(lines, key[1] if key[0] == "file" else "<userdict>"))


@lru_cache(maxsize=8)
def _words_tagged(tag: str, key: tuple) -> frozenset[str]:
    entries = _parse_lines(_read_dict_file(SHIPPED_USERDICT), str(SHIPPED_USERDICT))
    entries += _user_entries_for(key)
    return frozenset(word for word, _, word_tag in entries if word_tag == tag)


def words_tagged(tag: str, *, userdict: UserDict = None) -> frozenset[str]:
    """Words of the shipped dictionary and ``userdict`` with POS tag ``tag`` (e.g. ``nz``, ``nnt``)."""
    return _words_tagged(tag, _dict_key(userdict))


def get_tokenizer(userdict: UserDict = None) -> jieba.Tokenizer:
    """The jieba tokenizer with the shipped dictionary plus ``userdict`` (cached per dictionary)."""
    return _tokenizer_for(_dict_key(userdict))


@lru_cache(maxsize=8)
def _pos_tokenizer_for(key: tuple) -> jieba.posseg.POSTokenizer:
    import jieba.posseg

    return jieba.posseg.POSTokenizer(_tokenizer_for(key))


def get_pos_tokenizer(userdict: UserDict = None) -> jieba.posseg.POSTokenizer:
    """A ``jieba.posseg`` tokenizer over the same dictionary as :func:`get_tokenizer`."""
    return _pos_tokenizer_for(_dict_key(userdict))


@lru_cache(maxsize=32)
def _cut(text: str, key: tuple) -> tuple[str, ...]:
    return tuple(_tokenizer_for(key).cut(text, cut_all=False, HMM=True))


@lru_cache(maxsize=32)
def _pos(text: str, key: tuple) -> tuple[tuple[str, str], ...]:
    return tuple((p.word, p.flag) for p in _pos_tokenizer_for(key).cut(text, HMM=True))


def cut(text: str, *, userdict: UserDict = None) -> list[str]:
    """Words of ``text`` (jieba precise mode, HMM on for unknown words)."""
    return list(_cut(text, _dict_key(userdict)))


@lru_cache(maxsize=1)
def _fast_segmenter():
    """rjieba (jieba-rs: jieba's dictionary and algorithm in Rust) with the shipped dictionary.

    Importing rjieba already builds one segmenter with the stock dictionary (~0.1 s); we take
    that one and add our words rather than build a second.  Nothing else in newsnlp uses
    rjieba's module-level functions (``ner_features`` builds its own stock segmenter)."""
    import rjieba

    segmenter = getattr(rjieba, "_DEFAULT_JIEBA", None) or rjieba.Jieba()
    for word, freq, tag in _parse_lines(_read_dict_file(SHIPPED_USERDICT), str(SHIPPED_USERDICT)):
        segmenter.add_word(word, freq, tag)
    return segmenter


def fast_cut(text: str) -> list[str]:
    """Words of ``text`` like :func:`cut` with the shipped dictionary, about 20x faster.

    For bulk work that needs no user dictionary (the search index); agrees with :func:`cut`
    on nearly every word (``benchmarks/bench_index.py`` prints the agreement)."""
    return _fast_segmenter().cut(text, True)


def tokens(text: str, *, userdict: UserDict = None) -> list[tuple[str, int, int]]:
    """``(word, start, end)`` for every word of ``text``; offsets are character offsets."""
    result, start = [], 0
    for word in _cut(text, _dict_key(userdict)):
        result.append((word, start, start + len(word)))
        start += len(word)
    return result


def pos(text: str, *, userdict: UserDict = None) -> list[tuple[str, str]]:
    """``(word, tag)`` pairs from ``jieba.posseg`` over the same dictionary."""
    return list(_pos(text, _dict_key(userdict)))


def pos_tokens(text: str, *, userdict: UserDict = None) -> list[tuple[str, str, int, int]]:
    """``(word, tag, start, end)`` for every word of ``text``."""
    result, start = [], 0
    for word, tag in _pos(text, _dict_key(userdict)):
        result.append((word, tag, start, start + len(word)))
        start += len(word)
    return result


# --- evaluation on SIGHAN 2005 (``newsnlp eval seg``) -------------------------------------

SIGHAN_SETS = {"pku": ("pku_test.utf8", "pku_test_gold.utf8"), "msr": ("msr_test.utf8", "msr_test_gold.utf8")}


@lru_cache(maxsize=1)
def plain_tokenizer() -> jieba.Tokenizer:
    """jieba with its main dictionary only (the baseline; also the base of every other tokenizer).

    Loaded from jieba's own cache file (``jieba.cache`` in the temporary directory), which
    jieba writes on first use and reuses across runs."""
    import marshal

    tokenizer = _jieba().Tokenizer()
    tokenizer.tmp_dir = tempfile.gettempdir()  # jieba's dictionary cache lives here only
    cache = Path(tokenizer.tmp_dir) / "jieba.cache"  # jieba's name for its main dictionary's cache
    with _lock:
        try:  # what jieba.initialize does, but marshal.loads on the bytes: 0.2 s, not 0.8 s
            tokenizer.FREQ, tokenizer.total = marshal.loads(cache.read_bytes())
            tokenizer.initialized = True
        except (OSError, EOFError, ValueError, TypeError):
            tokenizer.initialize()  # builds the dictionary and (re)writes the cache
    return tokenizer


@lru_cache(maxsize=1)
def dictionary_tags() -> dict[str, str]:
    """POS tag of every word of jieba's main dictionary (what ``jieba.posseg`` reads at import).

    Kept in a marshal cache beside jieba's own (keyed by the dictionary file's size and
    mtime): 0.05 s instead of parsing the 5 MB dictionary (0.4 s) and importing
    ``jieba.posseg`` (0.3 s more)."""
    import hashlib
    import marshal
    import os

    jieba = _jieba()
    path = Path(jieba.__file__).resolve().parent / "dict.txt"
    stat = path.stat()
    key = hashlib.md5(f"{path}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:16]
    cache = Path(tempfile.gettempdir()) / f"newsnlp-jieba-tags.{key}.cache"
    try:
        tags = marshal.loads(cache.read_bytes())  # marshal.load(file) is 4x slower
        if isinstance(tags, dict):
            return tags
    except (OSError, EOFError, ValueError, TypeError):
        pass
    tags = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.split()
            if len(parts) == 3:
                tags[parts[0]] = parts[2]
    try:  # written whole under another name, then renamed: readers never see half a file
        fd, tmp = tempfile.mkstemp(dir=cache.parent, prefix=cache.name)
        with os.fdopen(fd, "wb") as f:
            marshal.dump(tags, f)
        os.replace(tmp, cache)
    except OSError:
        pass
    return tags


def _spans(words: Iterable[str]) -> set[tuple[int, int]]:
    spans, start = set(), 0
    for word in words:
        spans.add((start, start + len(word)))
        start += len(word)
    return spans


def score_words(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, float]:
    """Word-level precision, recall and F1 (a word counts when both its ends match)."""
    correct = n_gold = n_pred = 0
    for gold_words, pred_words in zip(gold, predicted, strict=True):
        g, p = _spans(gold_words), _spans(pred_words)
        correct += len(g & p)
        n_gold += len(g)
        n_pred += len(p)
    precision = correct / n_pred if n_pred else 0.0
    recall = correct / n_gold if n_gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": precision, "recall": recall, "f1": f1, "words": n_gold}


def evaluate_sighan(data_dir: str | Path, *, userdict: UserDict = None) -> dict[str, dict[str, dict]]:
    """Word P/R/F1 of plain jieba and of the shipped setup on the SIGHAN 2005 PKU and MSR test sets.

    Returns ``{set: {"jieba": scores, "newsnlp": scores}}``.  Whitespace is dropped from
    predictions; gold lines are split on whitespace.
    """
    data_dir = Path(data_dir)
    setups = {"jieba": plain_tokenizer(), "newsnlp": get_tokenizer(userdict)}
    results: dict[str, dict[str, dict]] = {}
    for name, (raw_name, gold_name) in SIGHAN_SETS.items():
        raw_path, gold_path = data_dir / raw_name, data_dir / gold_name
        if not raw_path.is_file() or not gold_path.is_file():
            raise InputError(f"SIGHAN 2005 files not found in {data_dir} (need {raw_name}, {gold_name})")
        raw = raw_path.read_text(encoding="utf-8").splitlines()
        gold = [line.split() for line in gold_path.read_text(encoding="utf-8").splitlines()]
        if len(raw) != len(gold):
            raise InputError(f"{raw_name} and {gold_name} differ in line count")
        results[name] = {}
        for setup, tokenizer in setups.items():
            predicted = [[w for w in tokenizer.cut(line.strip(), HMM=True) if w.strip()] for line in raw]
            results[name][setup] = score_words(gold, predicted)
    return results
