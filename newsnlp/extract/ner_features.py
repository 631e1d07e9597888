"""Character features for the shipped CRF named-entity model.

Shared by training (``benchmarks/train_ner.py``) and tagging
(:mod:`newsnlp.extract.entities`), so the two can never drift apart.  Per
character: the characters in a +-2 window, four bigrams, the character types
around it, the jieba word it falls in (word and B/M/E/S position), and matches
of a People's Daily 1998 entity lexicon (type and B/I/E position), and name
shape features that carry over to names never seen in training (how often a
character is a surname or part of a given name in MSRA train, and the
``surname + 1-2 characters`` candidates with the jieba words, posts before and
speech verbs after them, fixed phrases and place/organisation suffixes that say a
candidate is no name; see :func:`name_columns`; computed only for a model
trained with them: ``train_ner.py --name-features``, not the shipped one), and
character clusters learnt from unlabelled text (see :func:`cluster_columns`; also only
for a model trained with them, ``--clusters``).  Strings are
built once per character and reused, so a feature vector costs a few list
operations rather than a dozen string formats.
"""
from __future__ import annotations

import unicodedata
from functools import lru_cache
from pathlib import Path
from typing import Iterator

FEATURE_VERSION = 3
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


def bio_spans(tags: list[str]) -> list[tuple[int, int, str]]:
    """Decode BIO tags into (start, end, type); a stray I- opens a new span."""
    spans = []
    start, kind = None, None
    for i, tag in enumerate(tags):
        if tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != kind):
            if kind is not None:
                spans.append((start, i, kind))
            start, kind = i, tag[2:]
        elif tag == "O" or not tag.startswith("I-"):
            if kind is not None:
                spans.append((start, i, kind))
            start, kind = None, None
    if kind is not None:
        spans.append((start, len(tags), kind))
    return spans


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


def read_lexicon(path: Path) -> tuple[dict[str, str], frozenset[str]]:
    """A lexicon file (``name<TAB>PER|LOC|ORG``) and the set of its names' proper prefixes."""
    words: dict[str, str] = {}
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            word, _, kind = line.rstrip("\n").partition("\t")
            if word and kind:
                words[word] = kind
    return words, frozenset(w[:k] for w in words for k in range(1, len(w)))


@lru_cache(maxsize=1)
def lexicon() -> tuple[dict[str, str], frozenset[str]]:
    """Entity lexicon (name -> PER/LOC/ORG) and the set of its proper prefixes."""
    return read_lexicon(DATA_DIR / "ner-lexicon.txt")


def read_train_names(path: Path) -> dict[str, tuple[int, int]]:
    """A names file (``name<TAB>tagged PER<TAB>occurrences``, see :func:`train_names`)."""
    names: dict[str, tuple[int, int]] = {}
    with Path(path).open(encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                name, tagged, total = line.rstrip("\n").split("\t")
                names[name] = (int(tagged), int(total))
    return names


@lru_cache(maxsize=1)
def train_names() -> dict[str, tuple[int, int]]:
    """``ner-train-names.txt``: person name -> (times tagged PER, occurrences) in MSRA train."""
    return read_train_names(DATA_DIR / "ner-train-names.txt")


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
def _rjieba():
    """One rjieba segmenter shared by ``_cut`` and ``_has_word`` (None without rjieba)."""
    try:
        import rjieba
    except ImportError:
        return None
    return rjieba.Jieba()


@lru_cache(maxsize=1)
def _stock_jieba():
    """One jieba tokenizer with the stock dictionary: the fallback without rjieba."""
    import logging

    import jieba

    jieba.setLogLevel(logging.WARNING)
    tokenizer = jieba.Tokenizer()
    tokenizer.initialize()
    return tokenizer


@lru_cache(maxsize=1)
def _has_word():
    segmenter = _rjieba()
    if segmenter is not None:
        return segmenter.has_word
    freq = _stock_jieba().FREQ
    return lambda w: freq.get(w, 0) > 0


@lru_cache(maxsize=1)
def _cut():
    """``cut(text) -> words`` with the stock jieba dictionary only (user dictionaries
    loaded elsewhere must not change the features the model was trained on).
    rjieba (jieba-rs, same dictionary and algorithm, ~17x faster) when installed."""
    segmenter = _rjieba()
    if segmenter is not None:
        return lambda text: segmenter.cut(text, True)
    tokenizer = _stock_jieba()
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


# --- name shape features -------------------------------------------------------
# ``ner-names.txt`` counts, per character, how often it is a surname, how often it
# is in a given name, and how often it occurs at all in MSRA train (its first 40,500
# sentences: never the development slice or the test set).  Bucketed ratios of these
# let the model recognise ``surname + given name`` for names it has never seen.

COMPOUND_SURNAMES = frozenset(("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文",
                               "司徒", "夏侯", "令狐", "端木", "轩辕", "澹台", "西门", "南宫", "独孤", "呼延", "申屠"))
# Single-character surnames of the Hundred Family Surnames (百家姓; ``entities`` splits name
# lists with it too): a candidate even when MSRA train has too few of them to count.
LISTED_SURNAMES = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏窦章苏潘葛奚范彭郎鲁韦昌马苗凤"
    "方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安乐于傅皮卞齐康伍余卜顾孟黄穆萧尹姚邵湛汪祁毛禹狄米贝臧"
    "伏戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵席季麻贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞柯昝管卢莫"
    "房裘缪解宗丁宣贲邓郁杭洪包诸左石崔钮龚程嵇邢滑裴陆荣翁荀甄芮羿储靳汲邴糜段巫焦弓隗侯宓蓬郗班仰仲伊宫"
    "仇栾暴甘厉戎祖武符刘景詹束龙叶司韶郜黎蓟薄印宿怀蒲邰鄂索咸籍赖卓蔺屠蒙池乔胥苍闻莘翟谭贡劳逄姬申扶"
    "堵冉宰郦雍璩桑桂濮牛寿边扈燕冀郏浦尚农温庄晏柴瞿阎慕连茹习宦艾容向古易慎戈廖庾暨居衡步耿满匡寇阙欧"
    "殳沃蔚夔隆巩厍聂晁敖融冷訾辛阚简饶曾沙鞠丰巢蒯查荆游竺逯桓"
)
# Posts and roles printed just before a name (局长王某; 2-3 characters), and words just after one (1-2).
_POSTS = frozenset((
    "主席", "总理", "总统", "首相", "书记", "局长", "部长", "市长", "县长", "省长", "区长", "镇长", "乡长", "村长",
    "厂长", "校长", "院长", "所长", "处长", "科长", "司长", "主任", "委员", "代表", "记者", "教授", "经理", "董事长",
    "总裁", "秘书长", "队长", "团长", "政委", "主编", "编辑", "大使", "会长", "理事长", "博士", "研究员", "工程师",
    "医生", "老师", "教练", "议员", "外长", "司令", "司令员", "行长", "社长", "站长", "馆长", "总监", "先生", "女士",
    "夫人", "通讯员", "作者", "摄影", "主持人", "负责人", "董事", "干部", "党员", "职工", "农民", "工人", "学生",
))
_SAYS = frozenset((
    "说", "表示", "指出", "认为", "强调", "介绍", "告诉", "称", "同志", "先生", "女士", "等", "一行", "会见",
    "主持", "出席", "讲话", "谈", "回忆", "发现", "坦言", "笑着", "同", "和", "与", "、",
))
# Characters that end place names (settlements, divisions) and organisation names: a surname
# candidate ending in one or followed by one is more likely 吕庄 / 安分局 than a person.
_SUFFIX_CLASS = {**dict.fromkeys("庄村镇乡屯寨堡湾坝沟岭峪营铺集店港岗桥洼坡寺塘埠圩垸坪州县市省区", "P"),
                 **dict.fromkeys("局社委司厂校院部会所站队处科行团组办署馆台报", "O")}
_PERSON_TAGS = ("nr", "nrt", "nrfg")
NAMES_SOURCE_SENTENCES = 40500  # MSRA train sentences counted into ner-names.txt


def name_counts(text: str, tags: list[str]):
    """(surname, given-name, all) character counts of one BIO-tagged sentence: the
    first character of each 2-4 character Chinese PER span is its surname (two with a
    compound surname), the rest its given name."""
    from collections import Counter

    surname: Counter = Counter()
    given: Counter = Counter()
    text = normalise(text)
    total = Counter(text)
    spans = []
    for i, tag in enumerate(tags):
        if tag == "B-PER" or (tag == "I-PER" and (i == 0 or tags[i - 1] not in ("B-PER", "I-PER"))):
            spans.append([i, i + 1])
        elif tag == "I-PER" and spans and spans[-1][1] == i:
            spans[-1][1] = i + 1
    for a, b in spans:
        name = text[a:b]
        if not 2 <= len(name) <= 4 or not all("\u4e00" <= c <= "\u9fff" for c in name):
            continue
        cut = 2 if name[:2] in COMPOUND_SURNAMES else 1
        if len(name) == 4 and cut == 1:
            continue
        surname[name[:cut]] += 1
        given.update(name[cut:])
    return surname, given, total


def _level(count: int, total: int, cuts: tuple[float, ...]) -> str:
    """Bucket of ``count / total`` (``-`` when seen fewer than twice)."""
    if count < 2 or total <= 0:
        return "-"
    ratio = count / total
    return str(sum(ratio >= c for c in cuts))


_SURNAME_CUTS = (0.03, 0.1, 0.3)
_GIVEN_CUTS = (0.02, 0.08, 0.2, 0.5)
# coarse codes for the trigram template: surname (none/weak/strong) x given name (none/low/high)
_SURNAME_COARSE = {"-": 0, "0": 0, "1": 1, "2": 2, "3": 2}
_GIVEN_COARSE = {"-": 0, "0": 0, "1": 1, "2": 1, "3": 2, "4": 2}


def _levels(surname: int, given: int, total: int) -> tuple[str, str, str]:
    """(surname level, given-name level, coarse letter) of one character."""
    s = _level(surname, total, _SURNAME_CUTS)
    g = _level(given, total, _GIVEN_CUTS)
    return s, g, "abcdefghi"[_SURNAME_COARSE[s] * 3 + _GIVEN_COARSE[g]]


@lru_cache(maxsize=1)
def name_table() -> dict[str, tuple[int, int, int]]:
    """``ner-names.txt``: character -> (surname count, given-name count, count)."""
    table: dict[str, tuple[int, int, int]] = {}
    with (DATA_DIR / "ner-names.txt").open(encoding="utf-8") as f:
        for line in f:
            if line.startswith("#"):
                continue
            ch, s, g, t = line.rstrip("\n").split("\t")
            table[ch] = (int(s), int(g), int(t))
    return table


@lru_cache(maxsize=1)
def _level_table() -> dict[str, tuple[str, str, str]]:
    return {ch: _levels(*counts) for ch, counts in name_table().items()}


_NO_LEVEL = ("-", "-", "a")


def name_columns(text: str, word_starts: list[bool], *, own_names=None,
                 lex_tags: list[str | None] | None = None, with_v: bool = True) -> list[list[str | None]]:
    """Name shape templates of (normalised) ``text``; ``word_starts[i]``: jieba starts a word at i.

    ``y``: the character's surname and given-name levels; ``z``: coarse letters of the
    characters at -1, 0, +1.  At a surname candidate i (counted as a surname, listed in
    :data:`LISTED_SURNAMES` (level ``b``) or a compound surname (``C``))
    with given-name characters g1 g2 after it: ``kB``/``kM``/``kE`` at the surname and the two
    characters after it, keyed by the surname level, whether jieba starts a word at i, whether
    ``surname+g1`` and ``surname+g1g2`` are jieba dictionary words and the levels of g1, g2;
    ``uB``/``uM``/``uE`` there when a post comes just before (T) or a speech verb just after a
    two- (2) or three-character (3) name; ``vB``/``vM``/``vE`` there when the candidate starts a
    :func:`fixed_phrases` word (its letter, else ``-``) or its g1, g2 or the character after
    g2 is a place (P) or organisation (O) suffix.  With the v templates (FEATURE_VERSION 3) a
    candidate that starts a fixed phrase gets only its v marks (no k, u), and one inside a
    lexicon place or organisation (``lex_tags``, see :func:`lexicon_tags`: I or E of LOC/ORG)
    none at all; ``with_v=False`` gives the FEATURE_VERSION 2 columns (y z k u, as a model
    trained without v is tagged).  ``own_names`` (training only): the sentence's own
    :func:`name_counts`, left out of the table so a name does not vouch for itself."""
    n = len(text)
    y, z, marks = _name_parts(text, word_starts, own_names, lex_tags, with_v)
    return [y, z, *([d.get(i) for i in range(n)] for d in marks)]


def _name_parts(text: str, word_starts: list[bool], own_names=None, lex_tags=None, with_v=True):
    """``name_columns`` as (y column, z column, nine {position: string} dicts for k, u and v)."""
    n = len(text)
    if own_names is None:
        levels = _level_table()
        level = [levels.get(c, _NO_LEVEL) for c in text]
        y_strings = _y_strings()
        y = [y_strings.get(c) for c in text]
    else:
        table, (own_s, own_g, own_t) = name_table(), own_names
        level = []
        for c in text:
            s, g, t = table.get(c, (0, 0, 0))
            level.append(_levels(s - own_s[c], g - own_g[c], t - own_t[c]) if s or g else _NO_LEVEL)
        y = ["y" + s + g if s != "-" or g != "-" else None for s, g, _ in level]
    coarse = "a" + "".join([x[2] for x in level]) + "a"
    z = ["z" + coarse[i:i + 3] for i in range(n)]
    return y, z, _candidate_marks(text, word_starts, level, lex_tags, with_v=with_v)


_INSIDE_PLACE_OR_ORG = frozenset(("ILOC", "ELOC", "IORG", "EORG"))


def _candidate_marks(text: str, word_starts: list[bool], level: list[tuple[str, str, str]],
                     lex_tags: list[str | None] | None = None, *, with_v: bool = True):
    """The {position: string} dicts of the k, u (and ``with_v``: v) templates (see :func:`name_columns`)."""
    n = len(text)
    k_b: dict[int, str] = {}
    k_m: dict[int, str] = {}
    k_e: dict[int, str] = {}
    u_b: dict[int, str] = {}
    u_m: dict[int, str] = {}
    u_e: dict[int, str] = {}
    v_b: dict[int, str] = {}
    v_m: dict[int, str] = {}
    v_e: dict[int, str] = {}
    phrases = fixed_phrases() if with_v else {}
    suffix = _SUFFIX_CLASS.get
    has_word = _has_word()
    starters = _candidate_chars()
    posts, says = _POSTS, _SAYS
    for i in [i for i, c in enumerate(text[:n - 1]) if c in starters]:
        cut = 2 if text[i:i + 2] in COMPOUND_SURNAMES else 1
        s_level = "C" if cut == 2 else level[i][0]
        if s_level == "-" and text[i] in LISTED_SURNAMES:
            s_level = "b"
        j = i + cut
        if s_level == "-" or j >= n or not "\u4e00" <= text[j] <= "\u9fff":
            continue
        phrase = "-"
        if with_v:
            if lex_tags is not None and lex_tags[i] in _INSIDE_PLACE_OR_ORG:
                continue
            phrase = phrases.get(text[i:i + 5]) or phrases.get(text[i:i + 4]) or phrases.get(text[i:i + 3]) or "-"
            flags = (phrase + suffix(text[j], "-") + suffix(text[j + 1:j + 2], "-")
                     + suffix(text[j + 2:j + 3], "-"))
            if flags != "----":
                v_b[i] = "vB" + flags
                v_m.setdefault(j, "vM" + flags)
                if j + 1 < n:
                    v_e.setdefault(j + 1, "vE" + flags)
            if phrase != "-":
                continue
        g1 = level[j][1]
        g2 = level[j + 1][1] if j + 1 < n and "\u4e00" <= text[j + 1] <= "\u9fff" else "x"
        key = (s_level + ("1" if word_starts[i] else "0") + ("1" if has_word(text[i:j + 1]) else "0")
               + ("1" if j + 1 < n and has_word(text[i:j + 2]) else "0") + g1 + g2)
        # a compound surname's candidate comes first and keeps its given-name slots
        k_b[i] = "kB" + key
        k_m.setdefault(j, "kM" + key)
        if j + 1 < n:
            k_e.setdefault(j + 1, "kE" + key)
        post = (i >= 2 and text[i - 2:i] in posts) or (i >= 3 and text[i - 3:i] in posts)
        say2 = text[j + 1:j + 2] in says or text[j + 1:j + 3] in says
        say3 = text[j + 2:j + 3] in says or text[j + 2:j + 4] in says
        if post or say2 or say3:
            ctx = ("T" if post else "") + ("2" if say2 else "") + ("3" if say3 else "")
            u_b[i] = "uB" + ctx
            u_m.setdefault(j, "uM" + ctx)
            if j + 1 < n:
                u_e.setdefault(j + 1, "uE" + ctx)
    if not with_v:
        return k_b, k_m, k_e, u_b, u_m, u_e
    return k_b, k_m, k_e, u_b, u_m, u_e, v_b, v_m, v_e


@lru_cache(maxsize=1)
def fixed_phrases() -> dict[str, str]:
    """Words of 3-5 characters in jieba's stock dictionary that start with a surname candidate
    character and are not person names (idioms, fixed phrases, places): word -> ``S`` for a
    place or organisation (ns/nt), ``I`` otherwise.  齐聚一堂 and 张家口 are such words,
    江泽民 is not."""
    from newsnlp.segment import dictionary_tags

    starters = _candidate_chars()
    return {word: "S" if tag in ("ns", "nt") else "I" for word, tag in dictionary_tags().items()
            if word[0] in starters and 3 <= len(word) <= 5 and tag not in _PERSON_TAGS}


@lru_cache(maxsize=1)
def _y_strings() -> dict[str, str]:
    return {c: "y" + s + g for c, (s, g, _) in _level_table().items() if s != "-" or g != "-"}


@lru_cache(maxsize=1)
def _candidate_chars() -> frozenset[str]:
    """Every character that can start a surname candidate (a superset: the loop decides)."""
    return frozenset(c for c, (s, _g, _t) in name_table().items() if s) | LISTED_SURNAMES | frozenset(
        w[0] for w in COMPOUND_SURNAMES)


# --- character clusters ----------------------------------------------------------
# ``ner-char-clusters.txt`` (benchmarks/build_char_clusters.py) groups characters by the
# characters around them in unlabelled text: surnames, given-name characters, place and
# organisation suffixes, transliteration characters each fall in clusters of their own.
# Templates (only for a model trained with them, ``train_ner.py --clusters``): ``l`` coarse
# cluster at -2..+2, ``m`` fine cluster at -1..+1, ``n`` coarse bigrams (-1,0) and (0,+1),
# ``o`` the coarse trigram (-1,0,+1).  Padding keeps its own ids (^ $), unknown characters ?.
CLUSTER_TEMPLATES = "lmno"


@lru_cache(maxsize=1)
def char_clusters() -> dict[str, tuple[str, str]]:
    """Character -> (coarse, fine) cluster id, as strings."""
    out: dict[str, tuple[str, str]] = {"^": ("^", "^"), "$": ("$", "$")}
    with (DATA_DIR / "ner-char-clusters.txt").open(encoding="utf-8") as f:
        for line in f:
            if not line.startswith("#"):
                ch, coarse, fine = line.rstrip("\n").split("\t")
                out[ch] = (coarse, fine)
    return out


def cluster_columns(padded: str) -> list[list[str]]:
    """Cluster templates of the characters of ``padded`` (``^^text$$``) between the pads."""
    table = char_clusters()
    unknown = ("?", "?")
    ids = [table.get(c, unknown) for c in padded]
    co = [x[0] for x in ids]
    fi = [x[1] for x in ids]
    n = len(padded) - 4
    cols = [[f"l{p}{co[i + p]}" for i in range(n)] for p in range(5)]
    cols += [[f"m{p}{fi[i + p + 1]}" for i in range(n)] for p in range(3)]
    cols += [[f"n{p}{co[i + p + 1]}.{co[i + p + 2]}" for i in range(n)] for p in range(2)]
    cols.append([f"o{co[i + 1]}.{co[i + 2]}.{co[i + 3]}" for i in range(n)])
    return cols


def columns(text: str, *, own_names=None, with_v: bool = True,
            with_clusters: bool = True) -> list[list[str | None]]:
    """The feature strings of ``text`` by template: one list per template, one entry
    per character (``None`` where a template does not fire); ``with_v``: see :func:`name_columns`;
    ``with_clusters``: the :func:`cluster_columns` templates at the end."""
    text = normalise(text)
    n = len(text)
    if n == 0:
        return []
    padded = "^^" + text + "$$"
    types = "^^" + "".join(map(char_type, text)) + "$$"
    words, wpos = jieba_tags(text)
    lex_words, lex_prefixes = lexicon()
    c_2, c_1, c0, c1, c2 = padded[:n], padded[1:n + 1], padded[2:n + 2], padded[3:n + 3], padded[4:n + 4]
    lex_tags = lexicon_tags(text, lex_words, lex_prefixes)
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
        [None if t is None else "x" + t for t in lex_tags],
        *name_columns(text, [p in "BS" for p in wpos], own_names=own_names, lex_tags=lex_tags,
                     with_v=with_v),
        *(cluster_columns(padded) if with_clusters else ()),
    ]


def features(text: str, *, own_names=None, with_v: bool = True, with_clusters: bool = True) -> list[list[str]]:
    """Feature strings for each character of ``text`` (python-crfsuite's input).
    ``own_names``: training only, ``with_v``, ``with_clusters``: see :func:`columns`."""
    return [[f for f in row if f is not None]
            for row in zip(*columns(text, own_names=own_names, with_v=with_v, with_clusters=with_clusters))]


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
        self.names: dict[str, int] = {}  # name shape attributes (y z k u), whole string -> row
        simple = {"j": self.skip, "t": self.types, "p": self.pos, "w": self.word, "q": self.shape, "x": self.lex}
        for attr, row in attributes.items():
            kind, key = attr[0], attr[1:]
            if kind in _UNI and len(key) == 1:
                uni.setdefault(key, [0] * 5)[_UNI.index(kind)] = row
            elif kind in _BI and len(key) == 2:
                bi.setdefault(key, [0] * 4)[_BI.index(kind)] = row
            elif kind in simple:
                simple[kind][key] = row
            elif kind in "yzkuv":
                self.names[attr] = row
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
        # name shape: y rows by character, z rows by coarse letter trigram; a model trained
        # without these templates (before FEATURE_VERSION 2) skips computing them
        self.has_names = bool(self.names)
        self.has_v = any(attr[0] == "v" for attr in self.names)  # FEATURE_VERSION 3 templates
        self.y_by_char = {c: self.names[y] for c, y in _y_strings().items() if y in self.names}
        self.z_rows = np.zeros((9, 9, 9), dtype=np.int64)
        for attr, row in self.names.items():
            if attr[0] == "z" and len(attr) == 4 and all("a" <= c <= "i" for c in attr[1:]):
                self.z_rows[tuple(ord(c) - 97 for c in attr[1:])] = row
        self.single_word = self.word.get("1", 0)
        self._cluster_tables({a: r for a, r in attributes.items() if a[0] in CLUSTER_TEMPLATES})

    def _cluster_tables(self, attributes: dict[str, int]) -> None:
        """Rows of the cluster templates as arrays indexed by cluster number (see ``rows``)."""
        import numpy as np

        self.has_clusters = bool(attributes)
        if not self.has_clusters:
            return
        table = char_clusters()
        coarse = sorted({c for c, _ in table.values()}, key=lambda c: (not c.isdigit(), c))
        fine = sorted({f for _, f in table.values()}, key=lambda c: (not c.isdigit(), c))
        self.coarse_id = {c: i for i, c in enumerate(coarse + ["?"])}
        self.fine_id = {f: i for i, f in enumerate(fine + ["?"])}
        k, m = len(self.coarse_id), len(self.fine_id)
        self.char_coarse = {ch: self.coarse_id[c] for ch, (c, _) in table.items()}
        self.char_fine = {ch: self.fine_id[f] for ch, (_, f) in table.items()}
        self.l_rows = np.zeros((5, k), dtype=np.int64)
        self.m_rows = np.zeros((3, m), dtype=np.int64)
        self.n_rows = np.zeros((2, k, k), dtype=np.int64)
        self.o_rows = np.zeros((k, k, k), dtype=np.int64)
        cid, fid = self.coarse_id.get, self.fine_id.get
        for attr, row in attributes.items():
            kind, key = attr[0], attr[1:]
            if kind == "l" and cid(key[1:]) is not None:
                self.l_rows[int(key[0]), cid(key[1:])] = row
            elif kind == "m" and fid(key[1:]) is not None:
                self.m_rows[int(key[0]), fid(key[1:])] = row
            elif kind == "n":
                a, _, b = key[1:].partition(".")
                if cid(a) is not None and cid(b) is not None:
                    self.n_rows[int(key[0]), cid(a), cid(b)] = row
            elif kind == "o":
                parts = key.split(".")
                if len(parts) == 3 and all(cid(x) is not None for x in parts):
                    self.o_rows[tuple(cid(x) for x in parts)] = row

    def cluster_rows(self, padded: str):
        """(11, n) rows of the cluster templates for the characters of ``padded`` (``^^text$$``)."""
        import numpy as np

        n = len(padded) - 4
        unknown_c, unknown_f = self.coarse_id["?"], self.fine_id["?"]
        co = np.array([self.char_coarse.get(c, unknown_c) for c in padded], dtype=np.int64)
        fi = np.array([self.char_fine.get(c, unknown_f) for c in padded], dtype=np.int64)
        out = [self.l_rows[p, co[p:p + n]] for p in range(5)]
        out += [self.m_rows[p, fi[p + 1:p + 1 + n]] for p in range(3)]
        out += [self.n_rows[p, co[p + 1:p + 1 + n], co[p + 2:p + 2 + n]] for p in range(2)]
        out.append(self.o_rows[co[1:n + 1], co[2:n + 2], co[3:n + 3]])
        return np.vstack(out)

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
    """(26, n) int array: the weight-matrix row of each template at each character
    (15 rows, the name shape templates left out, for a model trained without them;
    23, the v templates left out, for one trained without those)."""
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
    word_starts: list[bool] = []
    for w in _cut()(text):
        m = len(w)
        word_starts.append(True)
        word_starts.extend([False] * (m - 1))
        rows_m = by_length.get(m) or tables.length_rows(m)
        pos_rows.extend(rows_m)
        word_rows.extend([word_get(w, 0) if m > 1 else tables.single_word] * m)
    pos_shape = np.array(pos_rows, dtype=np.int64).reshape(n, 2).T
    lex_words, lex_prefixes = lexicon()
    lex_get = tables.lex.get
    lex_tags = lexicon_tags(text, lex_words, lex_prefixes)
    lex = [0 if t is None else lex_get(t, 0) for t in lex_tags]
    name_get = tables.names.get
    lex_rows = np.array(lex, dtype=np.int64)
    clusters = [tables.cluster_rows(padded)] if tables.has_clusters else []
    if not tables.has_names:
        return np.vstack([
            uni[0:n, 0], uni[1:n + 1, 1], uni[2:n + 2, 2], uni[3:n + 3, 3], uni[4:n + 4, 4],
            bi[1:n + 1, 0], bi[2:n + 2, 1], bi[0:n, 2], bi[3:n + 3, 3],
            np.array(skip, dtype=np.int64), typ, pos_shape[0], np.array(word_rows, dtype=np.int64),
            pos_shape[1], lex_rows, *clusters,
        ])
    levels = _level_table()
    level = [levels.get(c, _NO_LEVEL) for c in text]
    coarse = np.frombuffer(("a" + "".join([x[2] for x in level]) + "a").encode("ascii"), dtype=np.uint8) - 97
    marks = _candidate_marks(text, word_starts, level, lex_tags, with_v=tables.has_v)
    names = np.zeros((2 + len(marks), n), dtype=np.int64)
    y_get = tables.y_by_char.get
    names[0] = [y_get(c, 0) for c in text]
    names[1] = tables.z_rows[coarse[:n], coarse[1:n + 1], coarse[2:n + 2]]
    for k, d in enumerate(marks, 2):
        if d:
            names[k, list(d)] = [name_get(x, 0) for x in d.values()]
    return np.vstack([
        uni[0:n, 0], uni[1:n + 1, 1], uni[2:n + 2, 2], uni[3:n + 3, 3], uni[4:n + 4, 4],
        bi[1:n + 1, 0], bi[2:n + 2, 1], bi[0:n, 2], bi[3:n + 3, 3],
        np.array(skip, dtype=np.int64), typ, pos_shape[0], np.array(word_rows, dtype=np.int64),
        pos_shape[1], lex_rows, names, *clusters,
    ])
