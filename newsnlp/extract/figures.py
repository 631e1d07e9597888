"""Figures: a number with a unit or measure word, normalised.

One regular-expression pass finds ``[approx prefix] number [range] [余/多] unit
[左右/以上]``; guards then drop what only looks like a figure:

* ordinals (第二届), numbers inside short quotes and book titles (“1146”工程,
  《十送红军》), dates and years (found by :mod:`newsnlp.extract.dates`),
  numbers glued to Latin letters or other digits (5G, 12366热线 has no unit);
* the bare numeral 一 (an article in Chinese: 一个事项, 无一名), decimals with a
  counting word (2.2本), numbers led by 数/几 (数十家);
* Chinese numerals that are part of a known word: a fixed term (八项规定,
  三个代表) or a dictionary word that reaches past the figure (三番五次, 五年计划).

Conventions: 万/亿 multiply the value and leave the base unit
(``6.4亿元`` -> 640000000 元, ``3万人`` -> 30000 人); 块钱 is 元; percentages
have unit ``%``; ``approx`` is True for 余 多 来 几 约 近 超(过) 逾 不到 不足
左右 上下 以上 许 (a bare threshold such as 不超过/不低于 is not approximate);
ranges (``3至5个``) give ``value`` 3 and ``value_max`` 5.
"""
from __future__ import annotations

import re
from functools import lru_cache

from newsnlp import segment
from newsnlp.extract.numerals import (
    ARABIC_WITH_MULTIPLIER, CHINESE_NUMBER, adjacent_range, fold_width, inside, multiplier_of, name_spans, parse_number,
)
from newsnlp.model import Figure

# surface -> normalised unit, by kind.  Counting words take integers only.
_COUNT_WORDS = (
    "个 名 人 位 次 家 所 项 件 条 期 节 户 座 栋 幢 辆 台 套 批 场 起 例 份 张 本 册 篇 部 支 只 头 匹 棵 株 "
    "处 间 种 类 门 组 队 轮 趟 宗 笔 封 首 幅 枚 颗 根 艘 列 片 块 道 堂 课时 学时 人次 户次 家次 车次 架次 台次 "
    "场次 批次 班次"
).split()
_MEASURES = (
    "平方公里 平方千米 平方米 平米 公顷 亩 公里 千米 米 厘米 毫米 吨 千克 公斤 克 斤 升 毫升 立方米 千瓦时 千瓦 "
    "兆瓦 瓦 摄氏度 ℃ 倍 岁 周岁"
).split()
_TIMES = "小时 分钟 秒 天 周 个月 个多月 年 周年 个工作日 工作日".split()
_MONEY = {
    "元人民币": "元", "元": "元", "圆": "元", "块钱": "元", "人民币": "元", "新台币": "新台币", "台币": "新台币", "美元": "美元", "欧元": "欧元", "日元": "日元",
    "英镑": "英镑", "港元": "港元", "港币": "港元", "澳元": "澳元", "韩元": "韩元", "卢布": "卢布", "泰铢": "泰铢",
}
_PERCENT = {"%": "%", "‰": "‰", "个百分点": "百分点", "百分点": "百分点"}

UNITS: dict[str, tuple[str, str]] = {}
UNITS.update({w: (w, "count") for w in _COUNT_WORDS})
UNITS.update({w: (w, "measure") for w in _MEASURES})
UNITS.update({w: (w, "time") for w in _TIMES})
UNITS.update({"个多月": ("个月", "time"), "个工作日": ("工作日", "time"), "个半月": ("个月", "time"),
              "个半小时": ("小时", "time")})
UNITS.update({w: (u, "money") for w, u in _MONEY.items()})
UNITS.update({w: (u, "percent") for w, u in _PERCENT.items()})
UNITS["摄氏度"] = ("℃", "measure")

_UNIT_RE = "|".join(re.escape(u) for u in sorted(UNITS, key=len, reverse=True))
_NUM = rf"(?:{ARABIC_WITH_MULTIPLIER}|{CHINESE_NUMBER})"
_PREFIX = "大约|约为|约|将近|接近|近|逾|超过|超|不到|不足"

FIGURE_RE = re.compile(
    r"(?=[\d零〇一二两三四五六七八九十壹贰叁肆伍陆柒捌玖拾百大约将接近逾超不])"  # cheap first-character filter
    rf"(?P<pre>{_PREFIX})?"
    rf"(?:百分之(?P<pct>{_NUM})"
    rf"|(?P<num>{_NUM})(?:(?P<conn>至|到|~|-|——|—|–)(?P<num2>{_NUM}))?(?P<mid>余|多|来|几)?(?P<unit>{_UNIT_RE}))"
    rf"(?P<post>左右|上下|以上|许)?"
)

# Fixed terms built from a numeral and a measure word (national slogans and policies, any paper).
KNOWN_TERMS = (
    "八项规定 三个代表 两个确立 两个维护 四个意识 四个自信 四个全面 两个一百年 三个务必 三个一批 三个面向 "
    "四个服务 两个毫不动摇 五个一工程 三项制度 一个中心 两个基本点 四项基本原则 三个世界 五个必由之路 "
    "三个有利于 四个革命 四个伟大 两个大局 六个必须坚持 十个明确 十四个坚持 十三个方面 两个结合 "
    "四个不摘 三个转变 三个全覆盖 两个责任 四个机制 九项准则 十项准则 四个一批 五个振兴 两项制度 "
    "次全国代表大会 次代表大会 次全会"
).split()
_KNOWN_RE = re.compile("|".join(sorted(KNOWN_TERMS, key=len, reverse=True)))

_LEADING_VAGUE = set("数几好")
_NOT_AFTER_YEAR = set("级代度龄轻份初底末前后")


def figures(text: str) -> list[Figure]:
    """Find the figures in ``text`` with character offsets into it.

    >>> [(f.value, f.unit, f.subject) for f in figures("总投资6.4亿元，新增学位11910个")]
    [(640000000, '元', '总投资'), (11910, '个', '新增学位')]
    """
    from newsnlp.extract.dates import date_spans

    folded = fold_width(text)
    blocked = sorted(name_spans(folded) + date_spans(folded) + [m.span() for m in _KNOWN_RE.finditer(folded)])
    found: list[Figure] = []
    for m in FIGURE_RE.finditer(folded):
        figure = _figure(folded, text, m, blocked)
        if figure is not None:
            found.append(figure)
    return _merge_ranges(folded, text, found)


def _figure(folded: str, text: str, m: re.Match, blocked: list[tuple[int, int]]) -> Figure | None:
    num = m.group("num") or m.group("pct")
    num_start = m.start("num") if m.group("num") else m.start("pct")
    if m.group("pct"):
        unit, kind = "%", "percent"
        num_start = m.start("pct") - 3
    else:
        unit, kind = UNITS[m.group("unit")]
    chinese = not num[0].isdigit()
    before = folded[num_start - 1] if num_start > 0 else ""
    # Ordinals, fractions (三分之二), numbers glued to letters/digits (5G, A4, v2.3), vague leads (数十家).
    if before in ("第", ".", "/", "+", "之") or before.isascii() and before.isalnum() or before in _LEADING_VAGUE:
        return None
    if before == "-" and folded[num_start - 2: num_start - 1].isdigit():
        return None  # 0394-8888888, 2021-2022
    if not chinese and len(num) > 1 and num[0] == "0" and num[1].isdigit():
        return None
    if chinese and num == "一" and not m.group("num2"):
        return None
    if inside(blocked, num_start, m.end("unit") if m.group("unit") else m.end()):
        return None
    end_after = m.end()
    after = folded[end_after: end_after + 1]
    if m.group("unit") in ("年", "周年") and after in _NOT_AFTER_YEAR:
        return None
    if m.group("unit") == "位" and after == "数":
        return None
    if chinese and m.group("unit") == "期" and re.match(r"工程|项目|扩建|建设|改造|工地", folded[end_after: end_after + 2]):
        return None  # 二期工程: a phase, not a count
    pair = adjacent_range(num) if chinese and not m.group("num2") else None
    value = pair[0] if pair else parse_number(num)
    if value is None:
        return None
    if kind == "count" and isinstance(value, float) and multiplier_of(num) == 1:
        return None  # 2.2本: a section number, not a count
    if unit == "年" and not chinese and value >= 1000 and multiplier_of(num) == 1:
        return None  # a year, or 2000年历史: left to dates
    if chinese and _in_word(folded, num_start, m.end("unit") if m.group("unit") else m.end()):
        return None
    if m.group("unit") in ("个半月", "个半小时"):
        value += 0.5
    value_max = None
    if m.group("num2"):
        value_max = parse_number(m.group("num2"))
        if value_max is None:
            return None
        value = _scale_range_start(num, value, m.group("num2"), value_max)
        if value_max < value:
            return None
    if pair:
        value_max = pair[1]  # 两三年, 四五千元: a loose range
    approx = bool(pair or m.group("mid") or m.group("post") or "多" in (m.group("unit") or ""))
    start = m.start()
    pre = m.group("pre")
    if pre:
        if pre in ("超过", "超") and m.start() > 0 and folded[m.start() - 1] == "不":
            start = m.end("pre")  # 不超过5%: a threshold, not approximate
        else:
            approx = True
    end = m.end()
    return Figure(
        text=text[start:end], value=value, unit=unit, approx=approx,
        subject=_subject(folded, start, end, kind), start=start, end=end, value_max=value_max,
    )


_MAGNITUDE = {"十": 10, "拾": 10, "百": 100, "佰": 100, "千": 1000, "仟": 1000, "万": 10_000, "萬": 10_000,
              "亿": 100_000_000}


def _scale_range_start(left: str, value, right: str, value_max):
    """The left end of a range borrows the right end's magnitude: 两到三万 -> 20000, 两到三仟 -> 2000,
    七千到九千亿 -> 7000亿; 8500到3万 stays 8500."""
    trailing = re.search(r"[十拾百佰千仟万萬亿]+$", right)
    if not trailing:
        return value
    if not re.search(r"[十拾百佰千仟万萬亿]", left):
        factor = 1
        for ch in trailing.group():
            factor *= _MAGNITUDE[ch]
    elif multiplier_of(left) == 1:
        factor = multiplier_of(right)
    else:
        return value
    return value * factor if factor > 1 and value * factor <= value_max else value


def _merge_ranges(folded: str, text: str, found: list[Figure]) -> list[Figure]:
    """1万元至5万元 -> one figure with value 10000 and value_max 50000."""
    merged: list[Figure] = []
    for figure in found:
        prev = merged[-1] if merged else None
        if (prev is not None and prev.value_max is None and prev.unit == figure.unit and figure.value_max is None
                and _RANGE_GAP.fullmatch(folded[prev.end: figure.start]) and figure.value > prev.value):
            prev.value_max = figure.value
            prev.approx = prev.approx or figure.approx
            prev.end = figure.end
            prev.text = text[prev.start: prev.end]
            continue
        merged.append(figure)
    return merged


_RANGE_GAP = re.compile(r"至|到|~|-{1,2}|——|—|–")


def _dictionary() -> dict[str, int]:
    return segment.plain_tokenizer().FREQ


def _in_word(text: str, start: int, end: int) -> bool:
    """True when a dictionary word of 3-4 characters covers the figure and reaches past it (三番五次)."""
    freq = _dictionary()
    for size in (3, 4):
        for left in range(max(0, end - size), start + 1):
            right = left + size
            if right < end or (left == start and right == end) or right > len(text):
                continue
            if freq.get(text[left:right]):
                return True
    return False


# --- subject: the thing counted --------------------------------------------------------------
_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+$")
_CLAUSE_END = re.compile(r"[，。；：、！？,;:!?（）()“”《》\s]")
_SUBJECT_STOP = set(
    "的 了 和 与 及 等 全部 均 都 已 已经 在 将 被 由 为 是 共 其中 分别 进行 参加 参与 通过 实现 完成 获得 纳入 "
    "开展 达到 达 约 累计 共计 合计 总计 超过 不低于 不超过 不少于 以上 以下 左右 同比 比 较 占 增长 增加 下降 减少 "
    "提高 到 至 对 向 从 有".split()
)
_LINK_VERBS = re.compile(r"(?:均|都|分别|也|已|将|仅|达到|达|为|是|共|计|共计|累计|合计|总计|约|约为|有|近|超过|超|逾|多达|不低于|不超过|不少于|不足|不到)+$")
_MODIFIERS = set("新增 新建 改建 扩建 现有 在建 在校 在职 参保 参赛 受益 受助 帮扶 救助 培训".split())
_PER_UNIT = re.compile(r"(?:每[人户年月天日次家]|人均|年均|户均|按)+$")
_NOT_SUBJECT_TAGS = set("rdcpumqyeoft")
_NOUNISH = ("n", "vn", "an", "nz", "nt", "ns", "nr", "j", "l", "b", "ng")


def _tags() -> dict[str, str]:
    return segment.dictionary_tags()


def _words(fragment: str, *, from_end: bool = False) -> list[tuple[str, str]]:
    """Dictionary words of a short fragment with their dictionary POS tags, by greedy longest match
    from the start (or from the end): a few dict look-ups, much faster than a full jieba cut."""
    freq, tags = _dictionary(), _tags()
    words: list[str] = []
    text = fragment
    while text:
        for size in range(min(6, len(text)), 0, -1):
            word = text[-size:] if from_end else text[:size]
            if size == 1 or freq.get(word):
                break
        words.append(word)
        text = text[:-size] if from_end else text[size:]
    if from_end:
        words.reverse()
    return [(w, tags.get(w, "x")) for w in words]


def _subject(text: str, start: int, end: int, kind: str) -> str | None:
    """The counted thing: the noun phrase after a counting word (7所幼儿园), else the one before
    the number (新增学位11910个, 总投资6.4亿元, 压减率达100%)."""
    if kind == "count":
        following = _CLAUSE_END.split(text[end: end + 12], 1)[0]
        if following:
            taken: list[str] = []
            for word, flag in _words(following):
                if word in _SUBJECT_STOP or not flag.startswith(_NOUNISH) or len(taken) == 3:
                    break
                taken.append(word)
            if taken:
                return "".join(taken)
    preceding = _CJK_RUN.search(text[max(0, start - 12): start])
    preceding = preceding.group() if preceding else ""
    while True:  # 缴费标准为每人每年350元 -> 缴费标准
        stripped = _PER_UNIT.sub("", _LINK_VERBS.sub("", preceding))
        if stripped == preceding:
            break
        preceding = stripped
    if not preceding:
        return None
    words = _words(preceding, from_end=True)
    if not words or words[-1][1][:1] in _NOT_SUBJECT_TAGS:
        return None  # 这十来年, 一连10多天
    taken = []
    for word, flag in reversed(words):
        if word in _SUBJECT_STOP or len(taken) == 2 or (
                taken and flag == "v" and word not in _MODIFIERS and len(taken[0]) > 1):
            break
        taken.insert(0, word)
    return "".join(taken) or None


# --- evaluation (newsnlp eval figures) ----------------------------------------------------------
def _same(a, b) -> bool:
    return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))


def score_seed_page(gold_articles: dict, gold_facts: dict) -> dict:
    """Figures (value, unit) P/R/F1 on a gold page, counting repeats (gold ``count``), and every
    reported figure that overlaps a gold ``not_figures`` string."""
    from newsnlp.extract.numerals import prf, seed_article_texts

    tp = n_pred = n_gold = 0
    misses, extras, wrongly_reported = [], [], []
    for number, text in enumerate(seed_article_texts(gold_articles), 1):
        gold = []
        for item in gold_facts["figures"]:
            if item["article"] == number:
                gold += [item] * int(item.get("count", 1))
        n_gold += len(gold)
        found = figures(text)
        n_pred += len(found)
        unmatched = list(gold)
        for figure in found:
            hit = next((g for g in unmatched if _same(figure.value, g["value"]) and figure.unit == g["unit"]), None)
            if hit is None:
                extras.append((number, figure.text, figure.value, figure.unit))
            else:
                unmatched.remove(hit)
                tp += 1
        misses += [(number, g["text"], g["value"], g["unit"]) for g in unmatched]
        for name in gold_facts.get("not_figures", []):
            at = text.find(name)
            while at >= 0:
                wrongly_reported += [(number, name, f.text) for f in found if f.start < at + len(name) and at < f.end]
                at = text.find(name, at + 1)
    scores = prf(tp, n_pred, n_gold)
    return {**scores, "gold": n_gold, "predicted": n_pred, "true_positives": tp, "misses": misses,
            "extras": extras, "not_figures_reported": wrongly_reported}


def score_money_cases(folder) -> dict:
    """Agreement with the JioNLP money extractor/parser cases and cn2an's numeral cases
    (other libraries' conventions: agreement, not accuracy)."""
    import json
    from pathlib import Path

    folder = Path(folder)
    ext_agree = ext_total = 0
    for line in (folder / "jionlp_money_extractor_cases.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        ext_total += 1
        mine = [f.text for f in figures(case["args"]["text"]) if f.unit in _MONEY.values()]
        ext_agree += mine == [e["text"] for e in case["expected"]]

    value_agree = unit_agree = parse_total = 0
    for line in (folder / "jionlp_money_parser_cases.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        parse_total += 1
        expected = case["expected"]
        found = [f for f in figures(case["args"]["text"]) if f.unit in _MONEY.values()]
        if not found:
            continue
        f = max(found, key=lambda x: x.end - x.start)
        num = expected["num"]
        if isinstance(num, list):
            value_agree += _same(f.value, num[0]) and _same(f.value_max, num[1])
        else:
            value_agree += _same(f.value, num)
        unit_agree += f.unit == expected["case"]

    cn_agree = cn_total = 0
    for line in (folder / "cn2an_cases.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        if case["function"] != "cn2an" or case["expected"] == "ValueError" or case["mode"] == "direct":
            continue
        cn_total += 1
        cn_agree += _same(parse_number(fold_width(case["input"])), case["expected"])
    return {
        "money_extractor_cases": ext_total, "money_extractor_span_agreement": ext_agree / ext_total,
        "money_parser_cases": parse_total, "money_parser_value_agreement": value_agree / parse_total,
        "money_parser_unit_agreement": unit_agree / parse_total,
        "cn2an_numeral_cases": cn_total, "cn2an_numeral_agreement": cn_agree / cn_total,
    }
