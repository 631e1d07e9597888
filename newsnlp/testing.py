"""Synthetic OCR-style pages for tests and evaluation.

:func:`load_peoples_daily_articles` turns the PKU People's Daily corpus into clean
articles; :func:`generate_page` lays a few clean articles out the way text extracted
from a printed Chinese newspaper page looks (hard-wrapped narrow columns, layout
spaces, column breaks, bylines in several forms, page furniture, mojibake, doubled
caption characters) and returns the raw text with its gold articles.

A clean article is a dict::

    {"id": "19980101-01-003", "date": "1998-01-01",
     "headline": "...", "headline_words": ["...", ...],   # words optional
     "kicker": None, "subtitle": None,
     "dateline": "本报北京1月1日讯" | None, "byline_role": "本报记者" | None,
     "reporters": ["..."], "body": [{"kind": "p" | "subhead", "text": "..."}]}

Body texts have no whitespace; full-width digits and Latin letters are half-width,
Chinese punctuation stays full-width.
"""
from __future__ import annotations

import datetime as dt
import random
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# --------------------------------------------------------------------------- loading

_HALFWIDTH = {c: c - 0xFEE0 for r in ((0xFF10, 0xFF1A), (0xFF21, 0xFF3B), (0xFF41, 0xFF5B)) for c in range(*r)}
_HALFWIDTH[ord("％")] = ord("%")

_ANNOTATION = re.compile(r"（附?(?:图片|照片)[\d一二三四五六七八九十]*张?）|（图片）")
_DATELINE = re.compile(
    r"^据?(?:本报|新华社|中新社)(?!记者|驻|特派)[\u4e00-\u9fff·]{0,8}?(?:（[\u4e00-\u9fff·]{1,10}）)?"
    r"(?:\d{1,2}月\d{1,2}日|[一二三四五六七八九十]{1,2}月[一二三四五六七八九十]{1,3}日)?[讯电]"
)
_PAREN_BYLINE = re.compile(r"^（([^（）]{2,40})）")
_REPORT_BYLINE = re.compile(r"^((?:新华社|本报)?(?:驻[\u4e00-\u9fff]{1,8}?)?(?:特派|特约)?(?:记者|通讯员)[^，。（）：]{2,40}?)报道：")
_LEFTOVER_BYLINE = re.compile(r"^(?:（|据?(?:本报|新华社|中新社))|^[^，。]{0,40}报道：|^[^，。]{0,30}记者[^，。]{0,12}[，、][^，。]{0,30}记者|^[^，。]{0,30}记者[^，。]{0,10}$")
_TRAIL = re.compile(r"（([^（）]{1,40})）$")
_ROLE_WORDS = {"本报", "新华社", "中新社", "驻", "记者", "特派", "特约", "通讯员", "实习生", "报道", "特派员"}
_COMPOUND_SURNAMES = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "尉迟", "公孙", "长孙"}
_PERSON = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]+·[\u4e00-\u9fff·]+")
_SENTENCE_PUNCT = set("。，；！？")


def to_halfwidth(text: str) -> str:
    """Full-width digits, Latin letters and ％ -> ASCII; ``．`` between digits -> ``.``."""
    text = text.translate(_HALFWIDTH)
    return re.sub(r"(?<=\d)．(?=\d)", ".", text)


Token = tuple[str, str]  # (word, PKU tag)


def _parse_line(line: str) -> tuple[str, list[Token]] | None:
    parts = line.split()
    if not parts or "/" not in parts[0]:
        return None
    pid = parts[0].split("/")[0]
    tokens: list[Token] = []
    for raw in parts[1:]:
        raw = raw.lstrip("[")
        if "]" in raw:
            raw = raw[: raw.rindex("]")]
        word, _, tag = raw.rpartition("/")
        if word:
            tokens.append((to_halfwidth(word), tag))
    return pid, tokens


def _text(tokens: list[Token]) -> str:
    return "".join(w for w, _ in tokens)


def _cut(tokens: list[Token], start: int, end: int) -> tuple[list[Token], list[Token], list[Token]]:
    """Split tokens at character offsets into (before, inside, after); a token that
    straddles an offset goes to the part holding its first character."""
    before, inside, after, pos = [], [], [], 0
    for tok in tokens:
        (before if pos < start else inside if pos < end else after).append(tok)
        pos += len(tok[0])
    return before, inside, after


def _drop_annotations(tokens: list[Token]) -> list[Token]:
    text = _text(tokens)
    for m in reversed(list(_ANNOTATION.finditer(text))):
        before, _, after = _cut(tokens, m.start(), m.end())
        tokens = before + after
    return tokens


def person_names(tokens: list[Token]) -> list[str]:
    """Person names from PKU ``nr`` tokens (surname and given name are separate tokens)."""
    names: list[str] = []
    current: list[str] = []
    for word, tag in tokens:
        if tag != "nr":
            if current:
                names.append("".join(current))
            current = []
            continue
        is_surname = len(word) == 1 or word in _COMPOUND_SURNAMES
        if current and len(current) == 1 and (len(current[0]) == 1 or current[0] in _COMPOUND_SURNAMES):
            current.append(word)
            names.append("".join(current))
            current = []
        else:
            if current:
                names.append("".join(current))
            current = [word] if is_surname else []
            if not is_surname:
                names.append(word)
    if current:
        names.append("".join(current))
    return names


def _byline_parts(tokens: list[Token]) -> tuple[str | None, list[str]] | None:
    """(role, names) if ``tokens`` are only a byline: role words, places and names.
    Names that do not look like a person's full name (pen names, bare surnames) are left out."""
    names = person_names(tokens)
    if not names:
        return None
    role = []
    for word, tag in tokens:
        if tag in ("nr", "w"):
            continue
        if word not in _ROLE_WORDS and tag != "ns":
            return None
        if word != "报道":
            role.append(word)
    role_text = "".join(role) or None
    if role_text and role_text.count("记者") > 1:
        role_text = "记者"
    return role_text, [n for n in names if _PERSON.fullmatch(n)]


def _is_subhead(text: str) -> bool:
    return 1 <= len(text) <= 18 and not (set(text) & (_SENTENCE_PUNCT | set("：:")))


def _clean_article(article_id: str, paragraphs: list[list[Token]], min_chars: int) -> dict[str, Any] | None:
    paragraphs = [p for p in (_drop_annotations(p) for p in paragraphs) if p]
    if len(paragraphs) < 2:
        return None
    head_tokens = paragraphs[0]
    headline = _text(head_tokens)
    if (not 4 <= len(headline) <= 40 or "。" in headline or headline.startswith("（")
            or _DATELINE.match(headline) or re.search(r"图片|照片|[●▲■◆★□]", headline)):
        return None
    subtitle = None
    if "——" in headline:
        i = headline.index("——")
        rest = headline[i:].lstrip("—")
        if i >= 4 and len(rest) >= 4:
            _, head_tokens, _ = _cut(head_tokens, 0, i)
            headline, subtitle = _text(head_tokens), rest
    words = [w for w, _ in head_tokens]

    body = paragraphs[1:]
    reporters: list[str] = []
    role: str | None = None
    dateline: str | None = None

    # A byline paragraph of its own: 本报记者 张三 / 本报驻埃及记者 李四 / 王五
    first = body[0]
    if len(_text(first)) <= 30 and len(body) > 1:
        parts = _byline_parts(first)
        if parts:
            role, reporters = parts
            body = body[1:]
        elif _text(first) in ("本报评论员", "本报特约评论员"):
            body = body[1:]

    # A second headline line printed as a paragraph of its own, before the dateline
    if (len(body) > 1 and _DATELINE.match(_text(body[1])) and not _DATELINE.match(_text(body[0]))
            and len(_text(body[0])) <= 30 and "。" not in _text(body[0])):
        if subtitle is None:
            subtitle = _text(body[0])
        body = body[1:]
    if any(_DATELINE.match(_text(p)) for p in body[1:]):
        return None  # several items under one ID

    # Dateline and byline at the start of the first paragraph
    text = _text(body[0])
    m = _DATELINE.match(text)
    if m:
        dateline = m.group(0)
        _, _, rest = _cut(body[0], 0, m.end())
        rest_text = _text(rest)
        b = _PAREN_BYLINE.match(rest_text) or _REPORT_BYLINE.match(rest_text)
        if b:
            _, inside, after = _cut(rest, 0, b.end())
            parts = _byline_parts(inside)
            if parts and not reporters:
                role, reporters = parts
            if parts or b.re is _REPORT_BYLINE:
                rest = after
        body[0] = rest

    # Trailing byline, photo credit or dateline in brackets at the very end
    last = _text(body[-1])
    t = _TRAIL.search(last)
    if t:
        before, inside, _ = _cut(body[-1], t.start(), t.end())
        inner = t.group(1)
        parts = _byline_parts(inside)
        if parts or inner.endswith("摄") or inner == "完" or _DATELINE.match(inner):
            if parts and not reporters:
                role, reporters = parts
            if _DATELINE.match(inner) and dateline is None:
                dateline = _DATELINE.match(inner).group(0)
            body[-1] = before

    if body and _LEFTOVER_BYLINE.search(_text(body[0])):
        return None  # a byline we cannot take apart (several outlets, unusual roles)
    blocks = []
    for tokens in body:
        para = _text(tokens)
        if not para:
            continue
        if (re.match(r"^(?:\d{1,2}[：:]|图为|[上下左右]图)", para) or "摄）" in para or "图片" in para or "图表" in para
                or (para.startswith("（") and para.endswith("）"))):
            return None  # picture captions or notes, not an article
        kind = "subhead" if _is_subhead(para) else "p"
        if kind == "subhead" and (any(tag == "nr" for _, tag in tokens) or "记者" in para
                                  or not re.search(r"[\u4e00-\u9fff\d]", para) or para.startswith("—")):
            return None  # several pieces by different authors, or ornaments
        blocks.append({"kind": kind, "text": para})
    while blocks and blocks[-1]["kind"] == "subhead":
        blocks.pop()
    paras = [b["text"] for b in blocks if b["kind"] == "p"]
    if not paras or sum(map(len, paras)) < min_chars or not any("。" in p for p in paras):
        return None
    if any(len(p) > 24 and "，" not in p and "。" not in p for p in paras):
        return None  # table rows and lists of names
    if sum(len(b["text"]) < 12 for b in blocks) > 0.4 * len(blocks):
        return None
    date = f"{article_id[:4]}-{article_id[4:6]}-{article_id[6:8]}"
    return {
        "id": article_id, "date": date, "headline": headline, "headline_words": words,
        "kicker": None, "subtitle": subtitle, "dateline": dateline, "byline_role": role,
        "reporters": reporters, "body": blocks,
    }


def load_peoples_daily_articles(path: str | Path, *, min_chars: int = 100) -> list[dict[str, Any]]:
    """Clean, news-like articles from the PKU People's Daily corpus file ``199801.txt``
    (paragraphs grouped by their date-page-article ID; tables, lists, picture pages
    and items with fewer than ``min_chars`` body characters are skipped)."""
    grouped: dict[str, list[list[Token]]] = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            parsed = _parse_line(line)
            if parsed is None:
                continue
            pid, tokens = parsed
            grouped.setdefault(pid.rsplit("-", 1)[0], []).append(tokens)
    articles = []
    for article_id, paragraphs in grouped.items():
        article = _clean_article(article_id, paragraphs, min_chars)
        if article is not None:
            articles.append(article)
    return articles


# --------------------------------------------------------------------------- layout

FFFD = "\ufffd"
_NO_START = set("，。、；：？！）》」』”’…%·")
_NO_END = set("（《「『“‘")
_SECTIONS = ["要闻", "综合", "国内新闻", "国际", "经济", "社会", "文化", "体育", "教育", "民生",
             "科技", "理论", "评论", "地方新闻", "城事", "县域", "法治", "农村", "新闻广角", "时政"]
_PAPER_PLACES = ["江州", "临川", "北原", "东海", "清河", "云岭", "南平", "西城", "长河", "宁安"]
_PAPER_KINDS = ["日报", "晚报", "都市报", "晨报", "时报"]
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏宇浩凯健晨琳雪欣婷颖博志新海波峰斌毅俊佳慧巍晓东亮林国庆春"
_CAPTIONS = ["活动现场", "会议现场", "图为活动现场", "现场一角", "资料图片", "工作人员正在忙碌", "图为施工现场",
             "群众在现场咨询", "志愿者在服务", "颁奖现场", "图为参观现场", "演出现场"]
_WEEKDAYS = "一二三四五六日"


def text_width(text: str) -> float:
    """Printed width in CJK character cells: ASCII characters count half, U+FFFD a
    third (three of them stand for one mis-decoded full-width space), other
    characters (CJK, full-width punctuation, U+3000) one."""
    return sum(0.5 if ch.isascii() or ch == "\u00a0" else 1 / 3 if ch == FFFD else 1.0 for ch in text)


@dataclass
class _Atom:
    text: str
    lead: str = ""  # layout space printed before the atom (dropped at a line start)


def _atoms(text: str) -> list[_Atom]:
    """Unbreakable printing units: runs of ASCII characters, or single other characters."""
    return [_Atom(m.group(0)) for m in re.finditer(r"[!-~]+|.", text)]


@dataclass
class _Style:
    """The look of one page, drawn once per page."""

    spaces: list[str]
    space_weights: list[float]
    p_ascii: float
    p_quote: float
    p_after_punct: float
    p_before_punct: float
    p_justify: float
    p_moji_first: float
    moji_run: int
    indent: str
    p_caption: float
    p_double: float
    p_trailing_space: float

    @classmethod
    def draw(cls, rng: random.Random, noise: float) -> "_Style":
        spaces, weights = rng.choice([
            ([" "], [1.0]), ([" "], [1.0]), ([" ", "\u00a0"], [0.8, 0.2]), ([" ", "\u3000"], [0.7, 0.3]),
            ([" ", "\u00a0", "\u3000"], [0.6, 0.2, 0.2]),
        ]) if noise else ([" "], [1.0])
        return cls(
            spaces=spaces, space_weights=weights,
            p_ascii=noise * rng.choice([0.0, 0.4, 0.7, 0.9]),
            p_quote=noise * rng.choice([0.0, 0.1, 0.3]),
            p_after_punct=noise * rng.choice([0.0, 0.05, 0.15, 0.3]),
            p_before_punct=noise * rng.choice([0.0, 0.03, 0.1]),
            p_justify=noise * rng.choice([0.0, 0.5, 0.9]),
            p_moji_first=noise * rng.choice([0.0, 0.0, 0.5, 0.9]),
            moji_run=rng.choice([2, 4, 6]),
            indent=rng.choice(["none", "none", "none", "ideographic", "mojibake"]) if noise else "none",
            p_caption=rng.choice([0.0, 0.15, 0.35]),
            p_double=rng.choice([0.5, 0.9, 1.0]),
            p_trailing_space=noise * rng.choice([0.0, 0.0, 0.1]),
        )

    def space(self, rng: random.Random) -> str:
        return rng.choices(self.spaces, self.space_weights)[0]


def _add_layout_spaces(atoms: list[_Atom], style: _Style, rng: random.Random) -> None:
    """Put the layout spaces of a PDF/OCR extraction before some atoms."""
    for i in range(1, len(atoms)):
        prev, atom = atoms[i - 1].text, atoms[i].text
        p = 0.0
        if atom[0].isascii() or prev[-1].isascii():
            p = style.p_ascii
        elif atom in "“”‘’":
            p = style.p_quote
        elif atom in "，、。；：":
            p = style.p_before_punct
        elif prev in "，、。；：？！":
            p = style.p_after_punct
        if p and rng.random() < p:
            atoms[i].lead = style.space(rng)


def _wrap(atoms: list[_Atom], width: int, style: _Style, rng: random.Random) -> list[list[_Atom]]:
    """Hard-wrap atoms into lines of ``width`` cells; closing punctuation may hang past
    the edge, opening punctuation never ends a line, and a line left short by an
    unbreakable ASCII run is sometimes justified with spaces."""
    lines: list[list[_Atom]] = []
    line: list[_Atom] = []
    used = 0.0
    for atom in atoms:
        cost = text_width(atom.text) + (text_width(atom.lead) if line else 0.0)
        if not line or used + cost <= width:
            line.append(atom)
            used += cost
            continue
        if atom.text in _NO_START and used + cost <= width + 2:
            line.append(atom)
            used += cost
            continue
        carry: list[_Atom] = []
        if len(line) > 1 and line[-1].text in _NO_END:
            carry = [line.pop()]
            used -= text_width(carry[0].text)
        if width - used >= 1.5 and len(line) > 3 and rng.random() < style.p_justify:
            start = rng.randint(len(line) // 3, len(line) - 2)
            for a in line[start + 1:]:
                a.lead = a.lead or style.space(rng)
        lines.append(line)
        line = carry + [atom]
        used = sum(text_width(a.text) for a in line)
    if line:
        lines.append(line)
    return lines


def _render(line: list[_Atom]) -> str:
    return line[0].text + "".join(a.lead + a.text for a in line[1:]) if line else ""


def _split_words(words: list[str], rng: random.Random, *, min_side: int = 3) -> tuple[str, str] | None:
    """Split a phrase at a word boundary near its middle."""
    text = "".join(words)
    cuts, pos = [], 0
    for w in words[:-1]:
        pos += len(w)
        if (pos >= min_side and len(text) - pos >= min_side
                and text[pos - 1] not in _NO_END and text[pos] not in _NO_START):
            cuts.append(pos)
    if not cuts:
        return None
    cuts.sort(key=lambda c: abs(c - len(text) / 2))
    cut = rng.choice(cuts[:2])
    return text[:cut], text[cut:]


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2, 2])))


def _furniture(rng: random.Random, date: dt.date) -> tuple[list[str], dict[str, Any]]:
    """Page furniture lines (page number, paper and date, editors) and what they state."""
    number = rng.randint(1, 16)
    paper = rng.choice(_PAPER_PLACES) + rng.choice(_PAPER_KINDS)
    lines, info = [], {}
    if rng.random() < 0.7:
        page = rng.choice([f"第{number}版", f"A{number:02d}", f"{number:02d}", f"第 {number} 版"])
        lines.append(page)
        info["page"] = page.replace(" ", "")
    if rng.random() < 0.7:
        weekday = "星期" + _WEEKDAYS[date.weekday()]
        stamp = rng.choice([f"{date.year}年{date.month}月{date.day}日", f"{date:%Y.%m.%d}", f"{date:%Y年%m月%d日}"])
        lines.append(rng.choice([f"{paper} {stamp} {weekday}", f"{stamp} {weekday} {paper}", f"{stamp}  {weekday}"]))
        info["paper"] = paper if paper in lines[-1] else None
        info["publication_date"] = date.isoformat()
    if rng.random() < 0.6:
        lines.append(rng.choice([
            f"本版编辑 {_person(rng)} 校对 {_person(rng)}",
            f"责任编辑：{_person(rng)}  美编：{_person(rng)}",
            f"编辑 {_person(rng)}  校对 {_person(rng)}  组版 {_person(rng)}",
            f"本版编辑：{_person(rng)}",
        ]))
    return lines, info


def _choose_blocks(article: dict[str, Any], max_chars: int) -> list[dict[str, str]]:
    blocks, total = [], 0
    for block in article.get("body") or []:
        if isinstance(block, str):
            block = {"kind": "p", "text": block}
        if not block.get("text"):
            continue
        if blocks and total + len(block["text"]) > max_chars and any(b["kind"] == "p" for b in blocks):
            break
        blocks.append({"kind": block.get("kind") or "p", "text": block["text"]})
        total += len(block["text"])
    while blocks and blocks[-1]["kind"] == "subhead":
        blocks.pop()
    while blocks and blocks[0]["kind"] == "subhead":
        blocks.pop(0)
    return blocks


def _layout_article(article: dict[str, Any], rng: random.Random, style: _Style,
                    column_width: tuple[int, int]) -> tuple[list[str], dict[str, Any]]:
    """Raw lines of one article and its gold record."""
    lines: list[str] = []
    gold: dict[str, Any] = {
        "id": "", "headline": [], "kicker": None, "subtitle": None, "dateline": None, "byline": None,
        "reporters": [], "body": [], "captions": [],
    }
    width = rng.randint(*column_width)
    blocks = _choose_blocks(article, rng.randint(300, 2500))
    gold["body"] = blocks

    # --- headline, kicker, subtitle
    kicker, subtitle = article.get("kicker"), article.get("subtitle")
    headline = article["headline"]
    words = article.get("headline_words") or list(headline)
    if "".join(words) != headline:
        words = list(headline)
    if kicker:
        lines.append(kicker)
        gold["kicker"] = kicker
    mode = rng.choices(["one", "spaced", "two"], [0.5, 0.25, 0.25])[0] if len(headline) >= 8 else "one"
    if len(headline) > 22:
        mode = "two"
    split = _split_words(words, rng) if mode != "one" else None
    if split and mode == "two" and not kicker and len(split[0]) <= 12 and rng.random() < 0.25:
        kicker, head_lines = split[0], [split[1]]  # the first phrase set smaller, as a kicker
        lines.append(kicker)
        gold["kicker"] = kicker
    elif split and mode == "two":
        head_lines = list(split)
    elif split:
        head_lines = [split[0] + style.space(rng) + split[1]]
    else:
        head_lines = [headline]
    lines.extend(head_lines)
    gold["headline"] = [" ".join(h.split()) for h in head_lines]
    if subtitle:
        if rng.random() < 0.4:
            lines.append("")
        lines.append(("——" if rng.random() < 0.4 else "") + subtitle)
        gold["subtitle"] = subtitle

    # --- dateline and byline
    dateline, reporters = article.get("dateline"), list(article.get("reporters") or [])
    role = article.get("byline_role")
    forms, weights = ["none"], [1.0]
    if reporters:
        forms, weights = ["box", "own", "trail"], [0.2, 0.25, 0.25]
        if dateline:
            forms, weights = forms + ["paren", "report"], weights + [0.45, 0.1]
    form = rng.choices(forms, weights)[0]
    sep = rng.choice([" ", " ", "、", "  ", "\u3000"])
    names = sep.join(reporters)
    short_role = "记者" if not role or role.startswith(("本报", "新华社")) else role
    photo = rng.random() < style.p_caption
    prefix: list[_Atom] = _atoms(dateline) if dateline else []
    trailer: list[_Atom] = []
    gold["dateline"] = dateline or None
    if form != "none":
        gold["reporters"] = reporters
    if form == "paren":
        credit = " 文/图" if photo and rng.random() < 0.5 else ""
        inner = (short_role + " " if rng.random() < 0.9 else "") + names + credit
        gold["byline"] = " ".join(inner.split())
        prefix += _spaced_atoms((" " if rng.random() < 0.8 else "") + "（" + inner + "）", style, rng)
    elif form == "report":
        gold["byline"] = " ".join((short_role + " " + names).split())
        lead = " " if rng.random() < 0.5 else ""
        prefix += _spaced_atoms(lead + short_role + (" " if rng.random() < 0.3 else "") + names + "报道：", style, rng)
    elif form in ("box", "own"):
        shown_role = "□" + short_role if form == "box" else role or "本报记者"
        gold["byline"] = " ".join((shown_role.lstrip("□") + " " + names).split())
        if lines and rng.random() < 0.5:
            lines.append("")
        lines.append(shown_role + rng.choice([" ", "", "\u3000"]) + names)
        if rng.random() < 0.7:
            lines.append("")
    elif form == "trail":
        inner = (short_role + " " if rng.random() < 0.5 else "") + names
        gold["byline"] = " ".join(inner.split())
        trailer = _spaced_atoms((" " if rng.random() < 0.5 else "") + "（" + inner + "）", style, rng)
    if form in ("none", "trail") and lines and rng.random() < 0.3:
        lines.append("")
    if prefix:  # a space before the body text, sometimes
        prefix.append(_Atom("", style.space(rng) if rng.random() < 0.6 else ""))

    # --- body
    p_blank = rng.choice([0.0, 0.2, 0.5, 0.8, 1.0, 1.0])
    column_height = rng.randint(5, 25)
    body_line_no = rng.randint(0, column_height - 1)

    def emit(text: str) -> None:
        nonlocal body_line_no
        if style.p_trailing_space and rng.random() < style.p_trailing_space:
            text += style.space(rng)
        lines.append(text)
        body_line_no += 1
        if body_line_no % column_height == 0 and rng.random() < 0.9:
            lines.append("")

    def blank() -> None:
        if lines and lines[-1] != "":
            lines.append("")

    for index, block in enumerate(blocks):
        if block["kind"] == "subhead":
            blank()
            text = block["text"]
            parts = [text]
            if len(text) > width or (len(text) >= 6 and rng.random() < 0.5):
                split = _split_words(list(text), rng, min_side=2)
                parts = list(split) if split else [text]
            for k, part in enumerate(parts):
                if k:
                    blank()
                lines.append(part)
            blank()
            continue
        atoms = _atoms(block["text"])
        if index == 0:  # blocks never start with a subhead
            atoms = prefix + atoms
            # the bare/empty atoms carry their lead onto the next atom
            merged: list[_Atom] = []
            pending = ""
            for a in atoms:
                if not a.text:
                    pending += a.lead
                    continue
                merged.append(_Atom(a.text, a.lead or pending))
                pending = ""
            atoms = merged
        if index == len(blocks) - 1 and trailer and rng.random() < 0.7:
            atoms = atoms + trailer
            trailer_done = True
        else:
            trailer_done = False
        _add_layout_spaces(atoms, style, rng)
        indent = ""
        if style.indent == "ideographic":
            indent = "\u3000\u3000"
        elif style.indent == "mojibake" and rng.random() < 0.85:
            indent = FFFD * style.moji_run
        if index == 0 and not indent and rng.random() < style.p_moji_first:
            indent = FFFD * style.moji_run
        if indent:
            atoms.insert(0, _Atom(indent))
        wrapped = _wrap(atoms, width, style, rng)
        if index and rng.random() < p_blank and blocks[index - 1]["kind"] == "p":
            blank()
        for line in wrapped:
            emit(_render(line))
        if index == len(blocks) - 1 and trailer and not trailer_done:
            emit(_render(trailer).lstrip())
    if photo:
        caption = _caption(article, words, rng)
        gold["captions"] = [caption]
        blank()
        lines.append("".join(ch * 2 for ch in caption) if rng.random() < style.p_double else caption)
    return lines, gold


def _spaced_atoms(text: str, style: _Style, rng: random.Random) -> list[_Atom]:
    """Atoms of a short printed phrase; each run of whitespace in ``text`` becomes a
    layout space before the next atom (a leading one before the first)."""
    atoms: list[_Atom] = []
    pending = False
    for m in re.finditer(r"\s+|[!-~]+|.", text):
        if m.group(0).isspace():
            pending = True
            continue
        atoms.append(_Atom(m.group(0), style.space(rng) if pending else ""))
        pending = False
    return atoms


def _caption(article: dict[str, Any], words: list[str], rng: random.Random) -> str:
    if rng.random() < 0.5 and len(words) >= 2:
        out = ""
        for w in words:
            if len(out) >= 4 and len(out + w) > 10:
                break
            out += w
        if 4 <= len(out) <= 12 and out != article["headline"]:
            return out
    return rng.choice(_CAPTIONS)


def generate_page(
    articles: list[dict[str, Any]],
    *,
    rng: random.Random,
    n_articles: int | None = None,
    column_width: tuple[int, int] = (12, 20),
    furniture: float = 0.5,
    noise: float = 1.0,
    source: str = "<generated>",
) -> tuple[str, dict[str, Any]]:
    """Lay a few of ``articles`` out as the text of one OCR'd newspaper page.

    Returns the raw page text and its gold (the shape of ``page.gold-articles.json``:
    source, section, articles with headline lines, kicker, subtitle, dateline, byline,
    reporters, body blocks and captions; plus paper, page, publication_date and the
    ``furniture`` lines printed).  ``furniture`` is the chance of page furniture;
    ``noise`` scales layout spaces and mojibake (0: no mojibake, no indentation, and
    only the ASCII spaces that bylines and spaced headlines need).
    """
    usable = [a for a in articles if a.get("headline") and any(
        (b if isinstance(b, str) else b.get("text") if b.get("kind", "p") == "p" else "") for b in a.get("body") or [])]
    if not usable:
        raise ValueError("generate_page needs articles with a headline and at least one paragraph")
    style = _Style.draw(rng, noise)
    count = n_articles or rng.randint(2, 6)
    chosen = [usable[i] for i in rng.sample(range(len(usable)), min(count, len(usable)))]
    date = _article_date(chosen[0], rng)

    top: list[str] = []
    bottom: list[str] = []
    gold: dict[str, Any] = {"source": source, "paper": None, "page": None, "publication_date": None,
                            "section": None, "furniture": [], "articles": []}
    if rng.random() < furniture:
        lines, info = _furniture(rng, date)
        gold.update({k: v for k, v in info.items() if v})
        gold["furniture"] = lines
        for line in lines:
            (top if rng.random() < 0.6 else bottom).append(line)
    if rng.random() < 0.6:
        section = rng.choice(_SECTIONS)
        top.insert(rng.randint(0, len(top)), rng.choice(["", " ", "\u3000"]) + section)
        gold["section"] = section

    out: list[str] = []
    for line in top:
        out += [line, ""] if rng.random() < 0.6 else [line]
    for n, article in enumerate(chosen, 1):
        lines, record = _layout_article(article, rng, style, column_width)
        record["id"] = str(n)
        gold["articles"].append(record)
        if out:
            out += [""] * rng.choices([0, 1, 2], [0.05, 0.75, 0.2])[0]
        out += lines
    for line in bottom:
        out += ["", line]
    while out and out[-1] == "":
        out.pop()
    return "\n".join(out) + "\n", gold


def _article_date(article: dict[str, Any], rng: random.Random) -> dt.date:
    try:
        return dt.date.fromisoformat(article.get("date") or "")
    except ValueError:
        return dt.date(2020, 1, 1) + dt.timedelta(days=rng.randint(0, 1500))


PAGE_KEYS = {"source", "section", "paper", "page", "publication_date", "furniture", "articles"}
ARTICLE_KEYS = {"headline", "kicker", "subtitle", "dateline", "byline", "reporters", "body", "captions", "continuation"}


def gold_problems(raw: str, gold: dict[str, Any]) -> list[str]:
    """What is wrong with a generated page's gold, as lines of text (empty when nothing is):
    every body block printed in order in ``raw`` (whitespace ignored), every headline line,
    caption, reporter, kicker, subtitle, dateline, continuation and furniture line printed;
    the page and article keys of the gold contract; 2-6 articles, each titled or continued
    (上接), made of ``p``/``subhead`` blocks and ending in a ``p``.  Shared by the tests of
    every family of generated pages."""
    from newsnlp.evaluate import squeeze

    problems = []
    if not PAGE_KEYS <= set(gold):
        problems.append(f"page keys missing: {sorted(PAGE_KEYS - set(gold))}")
    if not 2 <= len(gold.get("articles") or []) <= 6:
        problems.append(f"{len(gold.get('articles') or [])} articles")
    text, position = squeeze(raw), 0
    for article in gold.get("articles") or []:
        if not ARTICLE_KEYS <= set(article):
            problems.append(f"article keys missing: {sorted(ARTICLE_KEYS - set(article))}")
            continue
        if not (article["headline"] or (article["continuation"] or "").startswith("上接")):
            problems.append("an article with neither headline nor 上接")
        body = article["body"]
        if not {b["kind"] for b in body} <= {"p", "subhead"} or not body or body[-1]["kind"] != "p":
            problems.append(f"body blocks {[b['kind'] for b in body]}")
        for block in body:
            found = text.find(block["text"], position)
            if found < 0:
                problems.append(f"body block not printed in order: {block['text'][:30]}")
                continue
            position = found + len(block["text"])
        printed = [*article["headline"], *article["captions"], *article["reporters"]]
        printed += [article[key] for key in ("kicker", "subtitle", "dateline", "continuation")]
        problems += [f"not printed: {piece}" for piece in printed if squeeze(piece) not in text]
    problems += [f"furniture not printed: {line}" for line in gold.get("furniture") or [] if line not in raw]
    return problems
