"""Generated OCR-style pages, family C: the report-only family.

**Never tune the parser on family C.**  Families A (:mod:`newsnlp.testing`) and B
(:mod:`newsnlp.testing_b`) are for development; family C exists so that the figures
we report come from layouts nobody has looked at while tuning.  Its layout code is
written apart from A's and B's (it shares only their article loaders) and it prints
conventions of local Chinese papers and e-paper text exports that A and B do not.

- source: People's Daily 2019 records (:func:`newsnlp.testing_b.load_2019_articles`,
  by default the ``heldout`` part of :func:`newsnlp.testing_b.split_articles`) mixed
  with People's Daily January 1998 records
  (:func:`newsnlp.testing.load_peoples_daily_articles`); the share of 2019 articles
  is drawn per page.  :func:`load_records_c` loads both from ``../shared/data``; the
  texts are read at run time only, nothing from them is stored in the package.
- layout (:func:`generate_page_c`), each convention drawn per page or per article;
  ``gold["conventions"]`` lists the ones a page shows:

  - wrapping (per page): ``wrap_none`` (each paragraph one long line, as e-paper
    text exports give) or ``wrap_column`` (hard-wrapped at 18-24 cells, ASCII
    counting half); ``wrap_full_last``: a wrapped paragraph typeset so that its
    last line is full too (every line 1 cell more or less than the column), so only
    the indent or a blank line tells where the next paragraph starts;
  - indentation (per page): ``indent_ideographic`` (``U+3000 U+3000``),
    ``indent_spaces`` (two ASCII spaces) or ``indent_blank`` (no indent, a blank
    line between paragraphs);
  - headings: ``headline_two_lines`` (the headline split at a phrase boundary: a
    space, a comma or colon, or a word boundary of the 1998 segmentation);
    ``kicker_marked`` (``◎`` or ``●`` before the kicker) / ``kicker_unmarked``;
    ``subtitle_double_dash`` (``——副题``) / ``subtitle_single_dash`` (``—副题``);
    column labels ``label_prefix`` (``【民生】标题``) / ``label_suffix``
    (``标题（经济观察）``), the label of a 2019 headline moved or kept, or a made-up
    one;
  - bylines: ``byline_wen`` (``文/本报记者 张三``), ``byline_box``
    (``□本报记者 张三 通讯员 李四``), ``byline_square`` (``■记者 张三``),
    ``byline_report`` (``本报记者 张三 李四 报道``), ``byline_inline``
    (``本报郑州3月2日讯（记者 张三 实习生 李四）`` opening the first paragraph),
    ``byline_trailing`` (``（张三）`` or ``（本报记者 张三）`` after the last
    sentence); correspondents and interns (通讯员, 实习生) are made-up names;
    ``dateline_short``: a 本报 dateline printed as ``本报讯``; ``dateline_trailing``:
    ``（本报北京1月15日电）`` after the last sentence;
  - subheads (per article): ``subhead_square`` (``■ 小标题``), ``subhead_diamond``
    (``◆小标题``), ``subhead_numbered`` (``一、小标题``), ``subhead_bare``;
  - captions: ``caption_triangle`` (``▲ 图为……``), ``caption_paren_credit``
    (``……（本报记者 张三 摄）``), ``caption_slash_credit`` (the caption, then a line
    ``张三/摄``), ``caption_between`` (a caption block between two articles);
    caption texts come from the 2019 records or a made-up list;
  - teasers: ``teaser_core`` (``【核心提示】…`` inline, or the label on a line of
    its own), ``teaser_editor`` (``编者按：…``), ``teaser_guide`` (``导读`` on a
    line of its own, then the text); the teaser text is the record's own, or now and
    then the article's lead sentence (real 核心提示 often repeat it);
  - continuations: ``continuation_to`` (``（下转A3版）`` ending an article cut at a
    paragraph or inside one) and ``continuation_from`` (``（上接A1版）`` opening an
    untitled article);
  - furniture: ``furniture_top`` (``A03 | 要闻`` and variants), ``furniture_date``
    (``2019年10月17日 星期四  责编：张三  美编：李四  校对：王五``, top or bottom),
    ``furniture_hotline`` (a footer with ``新闻热线：…``, sometimes the paper's name);
  - ``source_2019`` / ``source_1998``: which sources the page's articles came from.

Gold has the shape of A's and B's gold: ``source, section, paper, page,
publication_date, furniture, articles`` with ``headline`` (printed lines, column
label included as printed), ``kicker`` (without its ``◎``/``●`` mark), ``subtitle``
(without the printed dash), ``dateline`` (as printed: ``本报讯``,
``本报郑州3月2日讯``), ``byline`` (role words and names as printed, without
brackets, decoration such as ``文/``, ``□``, ``■`` and the word ``报道``),
``reporters`` (every name of the byline: reporters, correspondents, interns),
``body`` (``{"kind": "p"|"subhead", "text"}``, whitespace-free), ``captions`` and
``continuation``; plus ``conventions``.  Where things go in gold:

- body is the article's own paragraphs and subheads; a subhead's printed numbering
  (``一、``) is part of its text, a pure decoration (``■``, ``◆``) is not;
- a teaser belongs to its article's body: a label printed on a line of its own
  (``【核心提示】`` with its brackets, ``导读``) is a ``subhead`` block and the teaser
  text the next ``p``; an inline ``【核心提示】……`` or ``编者按：……`` is one ``p`` with
  its label;
- a dateline opening the first paragraph, or a trailing ``（本报X电）``, is the
  ``dateline``, not body; an inline or trailing byline in brackets is not body either;
- a caption is its text without the ``▲`` and without its credit (``（本报记者 张三
  摄）``, ``张三/摄``); photographers are not reporters; a caption between articles
  belongs to the article before it;
- ``continuation`` is the printed note without brackets (``上接A1版``,
  ``下转A3版``); a continued article (``上接``) has no headline (``[]``), kicker,
  subtitle or dateline; an article ``下转`` elsewhere has its printed part as body;
- furniture lines are listed in ``furniture``; the section printed in the top line
  is ``section``, ``A03`` the ``page``, a paper name in the footer the ``paper``.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from pathlib import Path
from typing import Any

from newsnlp.testing import load_peoples_daily_articles
from newsnlp.testing_b import load_2019_articles, split_articles

CONVENTIONS = (
    "wrap_none", "wrap_column", "wrap_full_last",
    "indent_ideographic", "indent_spaces", "indent_blank",
    "headline_two_lines", "kicker_marked", "kicker_unmarked", "subtitle_double_dash", "subtitle_single_dash",
    "label_prefix", "label_suffix",
    "byline_wen", "byline_box", "byline_square", "byline_report", "byline_inline", "byline_trailing",
    "dateline_short", "dateline_trailing",
    "subhead_square", "subhead_diamond", "subhead_numbered", "subhead_bare",
    "caption_triangle", "caption_paren_credit", "caption_slash_credit", "caption_between",
    "teaser_core", "teaser_editor", "teaser_guide",
    "continuation_to", "continuation_from",
    "furniture_top", "furniture_date", "furniture_hotline",
    "source_2019", "source_1998",
)


# --------------------------------------------------------------------------- loading

def load_records_c(data: str | Path, *, part: str = "heldout") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """(2019 records, 1998 records) from the shared data folder ``data``
    (``peoples_daily_2019/`` and ``peoples_daily_1998_01/199801.txt``); ``part`` picks
    the 2019 records (``heldout`` by default, see :func:`split_articles`)."""
    data = Path(data)
    records_2019 = split_articles(load_2019_articles(data / "peoples_daily_2019"), part)
    records_1998 = load_peoples_daily_articles(data / "peoples_daily_1998_01" / "199801.txt")
    return records_2019, records_1998


# --------------------------------------------------------------------------- made-up material

_FAMILY = "刘陈杨黄吴周徐孙马朱胡郭何高林罗郑梁谢宋唐韩冯邓曹彭曾萧田董潘袁蔡蒋余杜叶程苏魏吕丁沈姚卢姜崔钟谭陆范石廖贾夏付方邹孟熊秦邱江薛闫段雷侯龙史黎贺顾郝龚邵万严武戴孔汤"
_GIVEN_C = "嘉怡梓涵浩然子轩雨桐一诺思远若曦晨阳俊杰欣妍宇航佳琪明哲雅琳博文诗雨天佑可馨家豪静怡志强丽娟国栋秀英建华海燕春生"
_SECTIONS_C = ["要闻", "时政", "城事", "民生", "区县新闻", "财经", "文体", "法治", "教育", "健康", "乡村振兴",
               "综合新闻", "社会", "观察", "专题"]
_LABELS_PREFIX = ["民生", "关注", "聚焦", "一线", "身边事", "政策解读", "基层声音", "新闻追踪", "走基层", "热点"]
_LABELS_SUFFIX = ["经济观察", "社会观察", "城市观察", "乡村观察", "法治观察", "文化观察", "教育观察", "民生观察"]
_PAPER_A = ["青原", "临江", "北山", "白河", "东岚", "南屿", "云阶", "松川", "梧桐", "星湾"]
_PAPER_B = ["日报", "晚报", "都市报", "晨报", "商报"]
_GENERIC_CAPTIONS = [
    "图为活动现场。", "图为志愿者为居民提供咨询服务。", "图为工人在施工现场作业。", "图为游客在景区游览。",
    "图为学生在课堂上进行实验。", "图为村民在田间采收。", "图为市民在展区参观。", "图为比赛现场。",
    "工作人员正在检查设备。", "新建成的街心公园。", "演员在台上表演。", "图为会议现场。",
]
_CN = "〇一二三四五六七八九十"
_NO_START = set("，。、；：？！）》」』”’…%·")
_NO_END = set("（《「『“‘")
_WEEK = "一二三四五六日"


def _name(rng: random.Random) -> str:
    return rng.choice(_FAMILY) + "".join(rng.choice(_GIVEN_C) for _ in range(rng.choice((1, 2, 2))))


def _cn_ordinal(n: int) -> str:
    """1 -> 一, 10 -> 十, 12 -> 十二, 21 -> 二十一."""
    if n <= 10:
        return _CN[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else _CN[tens]) + "十" + (_CN[ones] if ones else "")


def _cells(unit: str) -> float:
    return sum(0.5 if ch.isascii() else 1.0 for ch in unit)


def _units(text: str) -> list[str]:
    """Typesetting units: a run of ASCII letters, digits and signs stays whole."""
    return re.findall(r"[0-9A-Za-z.%+\-/:]+|.", text)


# --------------------------------------------------------------------------- records

def _common(record: dict[str, Any], source: str) -> dict[str, Any] | None:
    """A record of either source in one shape, or None when it has no paragraph."""
    body = [dict(b) for b in record.get("body") or [] if b.get("text")]
    while body and body[-1]["kind"] != "p":
        body.pop()
    if not record.get("headline") or not any(b["kind"] == "p" for b in body):
        return None
    headline = " ".join(str(record["headline"]).split())
    label = None
    m = re.match(r"^(.{4,}?)\s*（([^（）]{2,14})）$", headline)
    if m and source == "2019":
        headline, label = m.group(1), m.group(2)
    teaser = record.get("teaser")
    return {
        "id": record.get("id"), "date": record.get("date"), "source": source,
        "headline": headline, "words": record.get("headline_words") or None, "label": label,
        "kicker": " ".join((record.get("kicker") or "").split()) or None,
        "subtitle": " ".join((record.get("subtitle") or "").split()).lstrip("—－- ") or None,
        "dateline": record.get("dateline"), "role": record.get("byline_role"),
        "reporters": list(record.get("reporters") or []),
        "teaser": re.sub(r"\s+", "", teaser["text"]) if teaser and teaser.get("text") else None,
        "captions": [re.sub(r"\s+", "", c["text"]) for c in record.get("captions") or [] if c.get("text")],
        "body": body,
    }


def _split_headline(rec: dict[str, Any], rng: random.Random) -> list[str] | None:
    """The headline as two lines at a phrase boundary, or None when it has none."""
    text = rec["headline"]
    if len(text.replace(" ", "")) < 8:
        return None
    mid = len(text) / 2
    cuts = [i for i, ch in enumerate(text) if ch == " "]
    if cuts:
        i = min(cuts, key=lambda c: abs(c - mid))
        return [text[:i], text[i + 1:]]
    cuts = [i + 1 for i, ch in enumerate(text) if ch in "，：:；" and 3 <= i + 1 <= len(text) - 3]
    if cuts:
        i = min(cuts, key=lambda c: abs(c - mid))
        return [text[:i], text[i:]]
    words = rec.get("words")
    if words and "".join(words) == text:
        ends, pos = [], 0
        for w in words[:-1]:
            pos += len(w)
            ends.append(pos)
        ends = [e for e in ends if 3 <= e <= len(text) - 3]
        if ends:
            i = min(ends, key=lambda e: abs(e - mid) + rng.random())
            return [text[:i], text[i:]]
    return None


# --------------------------------------------------------------------------- page style

class _PageStyle:
    def __init__(self, rng: random.Random) -> None:
        self.wrapped = rng.random() < 0.65
        self.width = rng.randint(18, 24)
        self.p_full = rng.choice((0.3, 0.6, 0.9))
        self.indent = rng.choice(("ideographic", "spaces", "blank"))
        self.p_subhead_blank = rng.choice((0.0, 0.5, 1.0))
        self.p_caption = rng.choice((0.1, 0.25, 0.4))
        self.p_2019 = rng.choice((0.3, 0.6, 0.8))
        self.dateline_gap = rng.choice(("", " ", "\u3000", "  "))
        self.gap = rng.choice(((1, 1), (1, 2), (2, 3)))

    @property
    def indent_text(self) -> str:
        return {"ideographic": "\u3000\u3000", "spaces": "  ", "blank": ""}[self.indent]


def _wrap(text: str, style: _PageStyle, rng: random.Random, *, indent: str, seen: set[str]) -> list[str]:
    """Lines of one paragraph (``indent`` printed before its first line)."""
    if not style.wrapped:
        return [indent + text]
    width = style.width
    units = _units(text)
    total = _cells(indent) + sum(_cells(u) for u in units)
    lines: list[list[str]] = []
    k = round(total / width)
    if k >= 2 and width - 1 <= total / k <= width + 1 and rng.random() < style.p_full:
        # typeset so that every line, the last one too, is (nearly) full
        target, pos, current = total / k, _cells(indent), [indent]
        lines = []
        for unit in units:
            if current != [indent] and current and len(lines) < k - 1 and pos + _cells(unit) / 2 > target * (len(lines) + 1):
                lines.append(current)
                current = []
            current.append(unit)
            pos += _cells(unit)
        lines.append(current)
        seen.add("wrap_full_last")
    else:
        current, used = [indent], _cells(indent)
        for unit in units:
            w = _cells(unit)
            if used + w > width and used > 0 and unit not in _NO_START:
                lines.append(current)
                current, used = [], 0.0
            current.append(unit)
            used += w
        lines.append(current)
    # no closing punctuation at a line start, no opening one at a line end
    for i in range(1, len(lines)):
        while len(lines[i]) > 1 and lines[i][0] in _NO_START:
            lines[i - 1].append(lines[i].pop(0))
        while len(lines[i - 1]) > 1 and lines[i - 1][-1] in _NO_END:
            lines[i].insert(0, lines[i - 1].pop())
    return ["".join(line) for line in lines if "".join(line).strip()]


# --------------------------------------------------------------------------- one article

def _names_text(names: list[str], rng: random.Random) -> str:
    return rng.choice((" ", "、")).join(names) if len(names) > 1 else names[0]


def _layout_article(rec: dict[str, Any], rng: random.Random, style: _PageStyle, *, role: str, page_no: int,
                    captions_pool: list[str], seen: set[str]) -> tuple[list[str], dict[str, Any]]:
    gold: dict[str, Any] = {"headline": [], "kicker": None, "subtitle": None, "dateline": None, "byline": None,
                            "reporters": [], "body": [], "captions": [], "continuation": None}
    lines: list[str] = []
    body = [dict(b) for b in rec["body"]]

    # how much of the article is printed
    budget = rng.randint(250, 1400)
    if role == "from":
        start = rng.randint(1, max(1, len(body) - 1)) if len(body) > 1 else 0
        body = body[start:]
        while body and body[0]["kind"] != "p":
            body.pop(0)
    kept, used = [], 0
    for b in body:
        if kept and used + len(b["text"]) > budget:
            break
        kept.append(b)
        used += len(b["text"])
    cut_inside = False
    if len(kept) < len(body) and role == "normal" and rng.random() < 0.35:
        role = "to"
    if role == "to":
        if len(kept) == len(body) and len(kept) > 1:
            kept = kept[:-1]
        last = kept[-1]["text"] if kept and kept[-1]["kind"] == "p" else ""
        cuts = [m.end() for m in re.finditer("[，。；]", last) if 20 <= m.end() <= len(last) - 10]
        if cuts and rng.random() < 0.5:
            kept[-1] = {"kind": "p", "text": last[:rng.choice(cuts)]}
            cut_inside = True
    while kept and kept[-1]["kind"] != "p":
        kept.pop()
    body = kept

    # byline and dateline
    reporters = list(rec["reporters"])
    dateline = rec["dateline"] if role != "from" else None
    if not reporters and role != "from" and dateline and dateline.startswith("本报") and rng.random() < 0.4:
        reporters = [_name(rng)]
    form = None
    if reporters:
        if role == "from":
            form = "trailing" if rng.random() < 0.6 else None
        else:
            choices = ["wen", "box", "square", "report", "inline", "trailing"]
            if role == "to":
                choices.remove("trailing")
            form = rng.choice(choices)
            if form == "inline" and dateline is None:
                if rng.random() < 0.5:
                    dateline = "本报讯"
                else:
                    form = rng.choice(choices[:4])
    trailing_dateline = bool(dateline and form not in ("inline", "trailing") and role == "normal"
                             and re.match(r"^本报.+\d日电$", dateline) and rng.random() < 0.35)
    if dateline and dateline.startswith("本报") and role != "from" and not trailing_dateline:
        m = re.match(r"^本报(.*?)(\d{1,2}月\d{1,2}日)?([电讯])$", dateline)
        if m and dateline != "本报讯":
            if rng.random() < 0.3:
                dateline = "本报讯"
            elif m.group(3) == "电" and rng.random() < 0.5:
                dateline = dateline[:-1] + "讯"
        if dateline == "本报讯":
            seen.add("dateline_short")
    role_word = rec["role"] if rec["role"] not in (None, "", "记者", "本报记者") else None
    extras: list[str] = []
    if form in ("box", "inline") and (dateline or "本报").startswith("本报") and rng.random() < 0.5:
        extras = [rng.choice(("通讯员", "实习生")), _name(rng)]
    byline_line = None
    byline_text = None
    if form in ("wen", "box", "square", "report"):
        r = role_word or ("记者" if form == "square" else "本报记者")
        names = " ".join(reporters)
        byline_text = f"{r} {names}" + (f" {extras[0]} {extras[1]}" if extras else "")
        byline_line = {"wen": "文/", "box": "□", "square": "■", "report": ""}[form] + byline_text
        if form == "report":
            byline_line += " 报道"
    elif form == "inline":
        r = role_word or "记者"
        byline_text = f"{r} {_names_text(reporters, rng)}" + (f" {extras[0]} {extras[1]}" if extras else "")
    elif form == "trailing":
        byline_text = _names_text(reporters, rng) if rng.random() < 0.5 else f"{role_word or '本报记者'} {_names_text(reporters, rng)}"
    if form:
        seen.add(f"byline_{form}")
        gold["byline"] = " ".join(byline_text.split())
        gold["reporters"] = reporters + extras[1:]

    # heading
    if role == "from":
        note = f"上接A{rng.randint(1, max(1, page_no - 1))}版"
        gold["continuation"] = note
        lines.append(f"（{note}）")
        seen.add("continuation_from")
    else:
        if rec["kicker"]:
            if rng.random() < 0.5:
                lines.append(rng.choice(("◎", "●", "◎ ")) + rec["kicker"])
                seen.add("kicker_marked")
            else:
                lines.append(rec["kicker"])
                seen.add("kicker_unmarked")
            gold["kicker"] = rec["kicker"]
        head = _split_headline(rec, rng) if rng.random() < 0.45 else None
        if head:
            seen.add("headline_two_lines")
        else:
            head = [rec["headline"].replace(" ", rng.choice((" ", "\u3000", "  ")))]
        label = rec["label"]
        if label is None and not rec["headline"].endswith("）") and rng.random() < 0.2:
            label = rng.choice(_LABELS_PREFIX + _LABELS_SUFFIX)
        if label:
            if label in _LABELS_PREFIX or (label not in _LABELS_SUFFIX and rng.random() < 0.4):
                head[0] = f"【{label}】{head[0]}"
                seen.add("label_prefix")
            else:
                head[-1] = f"{head[-1]}（{label}）"
                seen.add("label_suffix")
        lines += head
        gold["headline"] = [" ".join(h.split()) for h in head]
        if rec["subtitle"]:
            dash = rng.choice(("——", "—"))
            lines.append(dash + rec["subtitle"])
            seen.add("subtitle_double_dash" if dash == "——" else "subtitle_single_dash")
            gold["subtitle"] = rec["subtitle"]
        if byline_line:
            if rng.random() < 0.3:
                lines.append("")
            lines.append(byline_line)
        if rng.random() < 0.5 or style.indent == "blank":
            lines.append("")
    gold["dateline"] = dateline if role != "from" else None
    if trailing_dateline:
        seen.add("dateline_trailing")

    # teaser
    blocks: list[dict[str, str]] = []
    teaser = rec["teaser"]
    if not teaser and role == "normal" and rng.random() < 0.08:
        m = re.match(r"^[^。！？]{15,80}[。！？]", body[0]["text"]) if body and body[0]["kind"] == "p" else None
        teaser = m.group(0) if m else None
    teaser_blocks: list[dict[str, str]] = []
    if teaser and role == "normal":
        kind = rng.choice(("core_inline", "core_label", "editor", "editor", "guide", "guide"))
        if teaser.startswith("编者按"):
            kind = "editor"
        if kind == "core_inline":
            teaser_blocks = [{"kind": "p", "text": "【核心提示】" + teaser}]
        elif kind == "core_label":
            teaser_blocks = [{"kind": "subhead", "text": "【核心提示】"}, {"kind": "p", "text": teaser}]
        elif kind == "editor":
            text = teaser if teaser.startswith("编者按") else "编者按：" + teaser
            teaser_blocks = [{"kind": "p", "text": text}]
        else:
            teaser_blocks = [{"kind": "subhead", "text": "导读"}, {"kind": "p", "text": teaser}]
        seen.add({"core_inline": "teaser_core", "core_label": "teaser_core", "editor": "teaser_editor",
                  "guide": "teaser_guide"}[kind])

    # subheads
    sub_style = rng.choice(("square", "diamond", "numbered", "bare"))
    number = 0
    printed: list[tuple[str, str]] = []  # (gold block text, printed line) for subheads
    for b in body:
        if b["kind"] != "subhead":
            continue
        text = b["text"]
        if re.match(r"^[●■◆▲★□◇○]", text):  # decorated in the data: printed so, the mark is not text
            printed.append((text[1:].strip(), text))
            continue
        if re.match(r"^(?:[一二三四五六七八九十]+、|[（(][一二三四五六七八九十\d]+[）)]|\d+[.、])", text):
            printed.append((text, text))
            continue
        seen.add(f"subhead_{sub_style}")
        if sub_style == "square":
            printed.append((text, "■ " + text))
        elif sub_style == "diamond":
            printed.append((text, "◆" + text))
        elif sub_style == "numbered":
            number += 1
            printed.append((_cn_ordinal(number) + "、" + text, _cn_ordinal(number) + "、" + text))
        else:
            printed.append((text, text))
    sub_iter = iter(printed)

    # captions inside the article
    caption_after: dict[int, str] = {}
    if body and role != "from" and rng.random() < style.p_caption * (3 if rec["captions"] else 1):
        text = rec["captions"][0] if rec["captions"] else rng.choice(captions_pool)
        caption_after[rng.randrange(len(body))] = text

    def blank() -> None:
        if lines and lines[-1] != "":
            lines.append("")

    indent = style.indent_text
    for tb in teaser_blocks:
        if tb["kind"] == "subhead":
            lines.append(tb["text"])
        else:
            lines.extend(_wrap(tb["text"], style, rng, indent=indent, seen=seen))
            if style.indent == "blank":
                blank()
        blocks.append(tb)
    for i, b in enumerate(body):
        if b["kind"] == "subhead":
            gold_text, line = next(sub_iter)
            if style.indent == "blank" or rng.random() < style.p_subhead_blank:
                blank()
            lines.append(line)
            if style.indent == "blank" or rng.random() < style.p_subhead_blank:
                lines.append("")
            blocks.append({"kind": "subhead", "text": gold_text})
            continue
        text = b["text"]
        printed_text = text
        first_p = not any(x["kind"] == "p" for x in blocks[len(teaser_blocks):])
        if first_p and dateline and not trailing_dateline:
            lead = dateline
            if form == "inline":
                lead += f"（{byline_text}）"
            printed_text = lead + (style.dateline_gap if form != "inline" else rng.choice(("", "", " "))) + text
        is_last = i == len(body) - 1
        if is_last and role != "to":
            if trailing_dateline:
                printed_text += f"（{dateline}）"
            elif form == "trailing":
                printed_text += f"（{byline_text}）"
        note_own_line = False
        if is_last and role == "to":
            note = f"下转A{rng.randint(page_no + 1, page_no + 8)}版"
            gold["continuation"] = note
            seen.add("continuation_to")
            if cut_inside or rng.random() < 0.5:
                printed_text += f"（{note}）"
            else:
                note_own_line = True
        if style.indent == "blank" and blocks and blocks[-1]["kind"] == "p":
            blank()
        lines.extend(_wrap(printed_text, style, rng, indent=indent, seen=seen))
        if note_own_line:
            lines.append(f"（{gold['continuation']}）")
        blocks.append({"kind": "p", "text": text})
        if i in caption_after and not is_last:
            caption_lines, caption = _caption_block(caption_after.pop(i), rng, style, reporters, seen)
            blank()
            lines.extend(caption_lines)
            lines.append("")
            gold["captions"].append(caption)
    for text in caption_after.values():  # a caption at the end of the article
        caption_lines, caption = _caption_block(text, rng, style, reporters, seen)
        blank()
        lines.extend(caption_lines)
        gold["captions"].append(caption)
    while lines and lines[-1] == "":
        lines.pop()
    gold["body"] = blocks
    return lines, gold


def _caption_block(text: str, rng: random.Random, style: _PageStyle, reporters: list[str],
                   seen: set[str]) -> tuple[list[str], str]:
    """Printed lines of a picture caption and its gold text (without mark or credit)."""
    who = reporters[0] if reporters and rng.random() < 0.4 else _name(rng)
    kind = rng.choice(("triangle", "paren", "slash"))
    seen.add({"triangle": "caption_triangle", "paren": "caption_paren_credit", "slash": "caption_slash_credit"}[kind])
    if kind == "triangle":
        printed = "▲ " + text
        if rng.random() < 0.4:
            printed += f"  {who} 摄"
        out = _wrap(printed, style, rng, indent="", seen=set())
    elif kind == "paren":
        out = _wrap(text + f"（{rng.choice(('本报记者 ', '记者 ', ''))}{who} 摄）", style, rng, indent="", seen=set())
    else:
        out = _wrap(text, style, rng, indent="", seen=set()) + [f"{who}/摄"]
    return out, text


# --------------------------------------------------------------------------- furniture

def _furniture(rng: random.Random, date: dt.date, page_no: int, section: str,
               seen: set[str]) -> tuple[list[str], list[str], dict[str, Any]]:
    info: dict[str, Any] = {"page": None, "section": None, "paper": None, "publication_date": None}
    top: list[str] = []
    bottom: list[str] = []
    page = f"A{page_no:02d}"
    if rng.random() < 0.85:
        top.append(rng.choice((f"{page} | {section}", f"{page}｜{section}", f"{page}  {section}",
                               f"{section}  {page}", f"{page} | {section} |")))
        info.update(page=page, section=section)
        seen.add("furniture_top")
    if rng.random() < 0.7:
        stamp = f"{date.year}年{date.month}月{date.day}日 星期{_WEEK[date.weekday()]}"
        staff = [f"责编：{_name(rng)}"]
        if rng.random() < 0.7:
            staff.append(f"美编：{_name(rng)}")
        if rng.random() < 0.6:
            staff.append(f"校对：{_name(rng)}")
        line = stamp + rng.choice(("  ", "\u3000")) + rng.choice(("  ", "\u3000")).join(staff)
        (top if rng.random() < 0.6 else bottom).append(line)
        info["publication_date"] = date.isoformat()
        seen.add("furniture_date")
    if rng.random() < 0.6:
        phone = f"0{rng.randint(100, 999)}-{rng.randint(60000000, 89999999)}"
        line = f"新闻热线：{phone}"
        if rng.random() < 0.5:
            paper = rng.choice(_PAPER_A) + rng.choice(_PAPER_B)
            line = f"{paper}  {line}"
            info["paper"] = paper
        elif rng.random() < 0.5:
            line += f"  投稿邮箱：news{rng.randint(10, 99)}@example.com"
        bottom.append(line)
        seen.add("furniture_hotline")
    return top, bottom, info


# --------------------------------------------------------------------------- the page

def generate_page_c(
    records_2019: list[dict[str, Any]],
    records_1998: list[dict[str, Any]],
    *,
    rng: random.Random,
    n_articles: int | None = None,
    p_continuation: float = 0.35,
    p_caption_between: float = 0.3,
    source: str = "<generated-c>",
) -> tuple[str, dict[str, Any]]:
    """Lay 2-6 articles, drawn from ``records_2019`` (records of
    :func:`newsnlp.testing_b.load_2019_articles`) and ``records_1998`` (records of
    :func:`newsnlp.testing.load_peoples_daily_articles`), out as the text of one page
    in family C's conventions (see the module docstring).  Returns the raw page text
    and its gold.  Report-only: never tune the parser on these pages."""
    pools = {"2019": records_2019, "1998": records_1998}
    if not any(pools.values()):
        raise ValueError("generate_page_c needs records")
    style = _PageStyle(rng)
    seen: set[str] = {"wrap_column" if style.wrapped else "wrap_none", f"indent_{style.indent}"}
    count = n_articles or rng.randint(2, 6)
    chosen: list[dict[str, Any]] = []
    tries = 0
    while len(chosen) < count and tries < 50 * count:
        tries += 1
        src = "2019" if (rng.random() < style.p_2019 or not records_1998) and records_2019 else "1998"
        rec = _common(rng.choice(pools[src]), src)
        if rec and rec["id"] not in {c["id"] for c in chosen}:
            chosen.append(rec)
    if not chosen:
        raise ValueError("generate_page_c found no usable record")
    for rec in chosen:
        seen.add(f"source_{rec['source']}")
    try:
        date = dt.date.fromisoformat(chosen[0]["date"] or "")
    except ValueError:
        date = dt.date(2019, 10, 1)
    page_no = rng.randint(2, 16)
    section = rng.choice(_SECTIONS_C)
    top, bottom, info = _furniture(rng, date, page_no, section, seen)
    gold: dict[str, Any] = {"source": source, "section": info["section"], "paper": info["paper"],
                            "page": info["page"], "publication_date": info["publication_date"],
                            "furniture": top + bottom, "articles": [], "conventions": []}
    roles = ["normal"] * len(chosen)
    if len(chosen) >= 2 and rng.random() < p_continuation:
        roles[rng.randrange(len(chosen))] = rng.choice(("from", "to"))
    captions_pool = list(_GENERIC_CAPTIONS) + [c for r in records_2019[:4000] for c in
                                                (re.sub(r"\s+", "", x["text"]) for x in r.get("captions") or [])
                                                if 6 <= len(c) <= 80]
    out: list[str] = []
    for line in top:
        out += [line] + [""] * rng.choice((0, 1, 1, 2))
    for n, (rec, role) in enumerate(zip(chosen, roles), 1):
        lines, record = _layout_article(rec, rng, style, role=role, page_no=page_no,
                                        captions_pool=captions_pool, seen=seen)
        record["id"] = str(n)
        if out and out[-1] != "":
            out.append("")
        if n > 1:
            out += [""] * (rng.randint(*style.gap) - 1)
        out += lines
        gold["articles"].append(record)
        if n < len(chosen) and rng.random() < p_caption_between / max(1, len(chosen) - 1):
            caption_lines, caption = _caption_block(rng.choice(captions_pool), rng, style, [], seen)
            out += [""] + caption_lines
            record["captions"].append(caption)
            seen.add("caption_between")
    for line in bottom:
        out += [""] * rng.choice((1, 2)) + [line]
    while out and out[-1] == "":
        out.pop()
    gold["conventions"] = sorted(seen)
    return "\n".join(out) + "\n", gold
