"""Campaign and policy terms printed in quotes (“双减”, “放管服”, “1146”工程).

A quoted span is a *term* when it is short, has no sentence punctuation, is not
followed by a speech verb (说/表示/指出...) and looks like a coined name rather than a
scare-quoted ordinary word: it contains a numeral (“四保”, “三个一批”, “1146”), ends in a
programme suffix (行动, 工程, 计划, 杯...), is an abbreviation that the dictionary splits
into single characters (“县管校聘”), is a campaign term of the shipped or user
dictionary, or is quoted at least twice.  Book and document titles in 《》 are not terms.
"""
from __future__ import annotations

import re
from collections import Counter

from newsnlp import segment
from newsnlp.model import QuotedTerm

# One pattern per quote style, searched separately so that ‘放管服’ inside “...” is found too.
_QUOTES = [re.compile(f"{o}([^{o}{c}\\n]{{1,40}}){c}") for o, c in ("“”", "‘’", "「」", "『』", '""')]
_SENTENCE_PUNCT = re.compile(r"[。，！？；：、,!?;:…]")
_SPEECH_AFTER = re.compile(
    r"^[，,]?\s*(?:他|她|我|我们|他们)?(?:说|表示|指出|强调|介绍|称|坦言|感慨|回忆|笑着说|告诉|认为|透露|直言|提到|说道)"
)
_LEADING_NUMERAL = re.compile(r"^[0-9０-９一二三四五六七八九十百千万两双]")
_SUFFIXES = (
    "行动", "战略", "工程", "计划", "杯", "年", "活动", "专项", "模式", "机制", "制度", "改革", "工作法",
    "攻坚", "战", "建设", "品牌", "服务", "示范", "项目", "体系", "模范", "指数", "清单",
)
MAX_TERM_CHARS = 10
_NUMERAL_INSIDE = re.compile(r"[一二三四五六七八九十百千万两双]")
_PHRASE_WORDS = re.compile(r"[的了吗呢吧啊我你他她们]")
_HAN_ONLY = re.compile(r"[\u4e00-\u9fff]+")


def _speech_like(inner: str, before: str, after: str) -> bool:
    if len(inner) > MAX_TERM_CHARS or _SENTENCE_PUNCT.search(inner):
        return True
    if before.endswith(("：", ":")):  # 他说：“……”
        return True
    return bool(_SPEECH_AFTER.match(after))


def _coined(term: str, *, quoted_times: int, userdict) -> bool:
    """Whether a short quoted span looks like a campaign/policy name, not a scare-quoted word."""
    if term in segment.words_tagged("nz", userdict=userdict):
        return True
    if len(term) < 2 or _PHRASE_WORDS.search(term):  # 源; 更有信心了, 世界通用的日本人: not a name
        return False
    if re.search(r".[+＋].", term):  # 线上+线下, 1+3+7: a formula or description, not a name
        return False
    if re.search(r"[0-9０-９]", term) or _numbered(term):
        return True
    if term.endswith(_SUFFIXES) and len(term) > 2:
        return True
    if quoted_times >= 2 and len(term) <= 6:
        return True
    if not _HAN_ONLY.fullmatch(term):
        return False
    words = segment.plain_tokenizer().lcut(term, HMM=False)
    singles = sum(1 for w in words if len(w) == 1)
    return len(term) >= 3 and len(words) >= 3 and singles * 2 >= len(words) + 1


def _numbered(term: str) -> bool:
    """四保, 三个一批, 双减, 一校一策; not 一起参与 or 一棵树上吊死 (一 as an article)."""
    if not _LEADING_NUMERAL.match(term) or len(term) > 6:
        return False
    return not term.startswith("一") or bool(_LEADING_NUMERAL.match(term[2:]) or _NUMERAL_INSIDE.search(term[1:]))


def quoted_terms(text: str, *, userdict: segment.UserDict = None) -> list[QuotedTerm]:
    """Campaign and policy terms printed in quotes, with how often each occurs in ``text``.

    Args:
        text: one article.
        userdict: extra dictionary; its entries tagged ``nz`` count as campaign terms.

    Returns:
        One :class:`QuotedTerm` per distinct term, in order of first appearance; ``count`` is
        the number of times the term occurs in ``text``, quoted or not.
    """
    candidates: list[str] = []
    matches = sorted((m for pattern in _QUOTES for m in pattern.finditer(text)), key=lambda m: m.start())
    for match in matches:
        inner = match.group(1).strip()
        if not inner:
            continue
        before, after = text[max(0, match.start() - 2):match.start()], text[match.end():match.end() + 6]
        if _speech_like(inner, before, after):
            continue
        candidates.append(inner)
    quoted_times = Counter(candidates)
    result: list[QuotedTerm] = []
    for term in dict.fromkeys(candidates):
        if _coined(term, quoted_times=quoted_times[term], userdict=userdict):
            result.append(QuotedTerm(term=term, count=_count(text, term)))
    return result


def _count(text: str, term: str) -> int:
    """Occurrences of ``term`` in ``text``; a term of digits/Latin letters must not run into more."""
    if re.fullmatch(r"[0-9A-Za-z０-９]+", term[0] + term[-1]):
        pattern = re.compile(r"(?<![0-9A-Za-z０-９])" + re.escape(term) + r"(?![0-9A-Za-z０-９])")
        return len(pattern.findall(text))
    return text.count(term)
