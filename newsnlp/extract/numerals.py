"""Shared helpers for figures and dates: width folding, numeral parsing, name spans.

Numerals are converted only inside spans the extractors have already found
(``cn2an.transform`` over whole text turns 一体化 into 1体化).
"""
from __future__ import annotations

import re
from bisect import bisect_left
from decimal import Decimal, InvalidOperation

import cn2an

# Full-width digits, letters and a few signs -> ASCII, one character for one, so offsets stay valid.
_FULLWIDTH = {0xFF10 + i: ord("0") + i for i in range(10)}
_FULLWIDTH.update({0xFF21 + i: ord("A") + i for i in range(26)})
_FULLWIDTH.update({0xFF41 + i: ord("a") + i for i in range(26)})
_FULLWIDTH.update({ord("％"): "%", ord("．"): ".", ord("－"): "-", ord("～"): "~", ord("：") : ":",
                   ord("／"): "/", ord("＋"): "+", ord("○"): "〇", ord("Ｏ"): "〇"})


_NEEDS_FOLDING = re.compile("[" + "".join(map(chr, _FULLWIDTH)) + "]")


def fold_width(text: str) -> str:
    """Full-width digits/letters/signs to ASCII; same length, so offsets are unchanged."""
    return text.translate(_FULLWIDTH) if _NEEDS_FOLDING.search(text) else text


CN_DIGITS = "零〇一二两三四五六七八九"
CN_NUMERAL_CHARS = CN_DIGITS + "十百千万亿壹贰叁肆伍陆柒捌玖拾佰仟萬"
_MULTIPLIER = {"十": 10, "百": 100, "千": 1000, "万": 10_000, "萬": 10_000, "亿": 100_000_000}

# An Arabic number, optionally with thousands separators, decimals and 万/亿 multipliers (6.4亿, 3千万).
ARABIC_NUMBER = r"\d+(?:,\d{3})+(?:\.\d+)?|\d+(?:[.·]\d+)?"  # 67·8%: some papers print a middle dot
ARABIC_WITH_MULTIPLIER = rf"(?:{ARABIC_NUMBER})(?:[十百千万萬亿]{{1,3}})?"
# A Chinese numeral: starts with a digit word or 十 (百/千/万 alone are usually words: 百日, 万一).
CHINESE_NUMBER = r"[零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾][零〇一二两三四五六七八九十百千万萬亿壹贰叁肆伍陆柒捌玖拾佰仟]*(?:点[零〇一二三四五六七八九]+[万萬亿]?)?"


def _plain(value: Decimal) -> int | float:
    return int(value) if value == value.to_integral_value() else float(value)


def parse_arabic(number: str) -> int | float | None:
    """'6.4亿' -> 640000000, '685.197万' -> 6851970, '601,293.11' -> 601293.11."""
    digits = number.rstrip("十百千万萬亿")
    try:
        value = Decimal(digits.replace(",", "").replace("·", "."))
    except InvalidOperation:
        return None
    for ch in number[len(digits):]:
        value *= _MULTIPLIER[ch]
    return _plain(value)


def parse_chinese(number: str) -> int | float | None:
    """'三千五百' -> 3500, '两' -> 2, '二〇二二' -> 2022 (via cn2an); None when not a numeral."""
    try:
        value = cn2an.cn2an(number, "smart")
    except (ValueError, KeyError, IndexError):
        return None
    return _plain(Decimal(str(value)))


def parse_number(number: str) -> int | float | None:
    """Parse an Arabic, Chinese or mixed ('1.2万', '3千万') number."""
    if not number:
        return None
    if number[0].isdigit():
        return parse_arabic(number) if re.fullmatch(ARABIC_WITH_MULTIPLIER, number) else parse_chinese(number)
    return parse_chinese(number)


def multiplier_of(number: str) -> int:
    """The trailing 万/亿 factor of a number ('3万' -> 10000, '两千万' -> 10000, '30' -> 1)."""
    factor = 1
    for ch in reversed(number):
        if ch in "万萬亿":
            factor *= _MULTIPLIER[ch]
        else:
            break
    return factor


# Short quoted or titled spans: names and slogans (“1146”工程, “三个一批”, 《十送红军》), not figures or dates.
_QUOTED = re.compile(
    r"“[^“”\n]{1,16}”|‘[^‘’\n]{1,16}’|「[^「」\n]{1,16}」|『[^『』\n]{1,16}』|\"[^\"\n]{1,16}\"|《[^《》\n]{1,40}》")
_SENTENCE_PUNCT = re.compile(r"[，。；！？,;!?]")


def name_spans(text: str) -> list[tuple[int, int]]:
    """Spans of short quoted terms and book/work titles (no clause punctuation inside)."""
    spans = []
    for m in _QUOTED.finditer(text):
        if m.group().startswith("《") or not _SENTENCE_PUNCT.search(m.group()):
            spans.append(m.span())
    return spans


def inside(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    """True when [start, end) overlaps any of the spans (sorted by start)."""
    i = bisect_left(spans, (end, -1))  # spans starting before ``end``
    return any(e > start for _, e in spans[max(0, i - 8): i])


def prf(true_positives: int, predicted: int, gold: int) -> dict[str, float]:
    """Precision, recall and F1 (0 when undefined)."""
    p = true_positives / predicted if predicted else 0.0
    r = true_positives / gold if gold else 0.0
    return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}


def seed_article_texts(gold_articles: dict) -> list[str]:
    """Body texts of a gold articles JSON, joined as ``Article.text`` does (article n = index n-1)."""
    return ["\n".join(block["text"] for block in article["body"]) for article in gold_articles["articles"]]


_ADJACENT = re.compile(r"([一二两三四五六七八九])([二三四五六七八九])([十百千万亿]*)")
_DIGIT_VALUE = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2}


def adjacent_range(number: str) -> tuple[int, int] | None:
    """'两三' -> (2, 3), '四五千' -> (4000, 5000), '三五百' -> (300, 500); None for other numerals."""
    m = _ADJACENT.fullmatch(number)
    if not m or _DIGIT_VALUE[m.group(2)] <= _DIGIT_VALUE[m.group(1)]:
        return None
    factor = 1
    for ch in m.group(3):
        factor *= _MULTIPLIER[ch]
    return _DIGIT_VALUE[m.group(1)] * factor, _DIGIT_VALUE[m.group(2)] * factor