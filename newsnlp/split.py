"""Clean page lines -> articles.

Two passes, both driven by layout and language cues that hold for any paper:

1. :func:`assemble_blocks` rejoins hard-wrapped lines into blocks.  A line that
   fills its column and does not end a sentence continues on the next line, even
   across a blank line (a column break).  A short line, or a sentence end followed
   by a blank line, ends the block; where the page's column height shows, a blank
   line on that period is a column break.  A "full" line is judged against the
   width of its own article's column.  Datelines, bylines, page furniture, captions
   and continuation notes become marker blocks of their own.
2. :func:`split_page` groups blocks into articles: short unpunctuated blocks right
   before a byline/dateline (or before body text when no article is open) are the
   headline, kicker and subtitle; the same kind of block inside an article is a
   subhead, unless it reads as a headline (see the comment in :func:`split_page`).
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field

from newsnlp.model import Article, Block, Page
from newsnlp.tidy import (
    Line, headline_text, is_terminal, join_lines, join_spaced_characters, remove_layout_spaces, visual_width,
)

_CN_NUM = "0-9一二三四五六七八九十〇零两"
_MARKS = "□■◇◆●○▲△★☆▼◎【】〓"
# Datelines: 本报讯, 本报郑州1月3日电, 新华社北京12月31日电, 新华社达沃斯（瑞士）1月29日电,
# 中新网3月2日电; 据XX报道 is not one.
_SPACED_NUM = rf"[{_CN_NUM}](?: ?[{_CN_NUM}]){{0,2}}"  # 12, or 1 2 printed apart by justification
_DATELINE_TEXT = (
    rf"本报讯|据?(?:本报|新华社|中新社|[\u4e00-\u9fff]{{2,6}}(?:社|网|报|台|电视台|广播电台))"
    rf"[\u4e00-\u9fff]{{0,10}}?(?:[（(][\u4e00-\u9fff·]{{1,10}}[）)])?\s*(?P<date>{_SPACED_NUM}\s*月\s*{_SPACED_NUM}\s*日)?\s*(?:讯|电)"
)
DATELINE = re.compile(rf"^[{_MARKS}\s]*(?P<dateline>{_DATELINE_TEXT})")
# printed after the last paragraph instead: （本报北京1月15日电）
# (a date required: （本栏均据新华社电） is a credit for the whole column, not a dateline)
TRAILING_DATELINE = re.compile(
    rf"[（(]\s*(?=[^（）()]*[{_CN_NUM}]\s*日|(?:本报|新华社|中新社)[\u4e00-\u9fff]{{1,10}}电[）)])"
    rf"(?P<dateline>{_DATELINE_TEXT})\s*[）)]\s*$")
_ROLE = (r"(?:文\s*/\s*)?(?:本报|新华社)?(?:驻[\u4e00-\u9fff]{1,8}?)?(?:特派|特约|见习|实习)?(?:记者|通讯员|实习生|摄影记者|摄影|撰稿|编辑)"
         r"|文/图|图/文|文图|文|图")
# A byline in brackets: （记者 张三 通讯员 李四） / (本报记者 张三) / （记者 张三 文/图）
BRACKET_BYLINE = re.compile(rf"^\s*[（(](?P<byline>\s*(?:{_ROLE})[^（）()]{{1,40}}?)[）)]")
_NAMES = r"[\u4e00-\u9fff·]{2,4}(?:\s*[\s、]\s*[\u4e00-\u9fff·]{2,4}){0,4}"
# After a dateline: 记者 张三 李四报道：
REPORTED_BY = re.compile(rf"^\s*(?P<byline>(?:{_ROLE})\s*{_NAMES})\s*报道\s*[:：]")
BRACKET_NAMES = re.compile(rf"^\s*[（(]\s*(?P<byline>{_NAMES})\s*[）)]")
# □辽宁东港市 刘学春 / □湖南某市张三: a marked line of a place and a name
MARKED_BYLINE = re.compile(
    rf"^[{_MARKS}]\s*(?P<byline>[\u4e00-\u9fff]{{2,10}}\s+[\u4e00-\u9fff·]{{2,4}}"
    rf"|[\u4e00-\u9fff]{{1,10}}(?:省|市|县|区|州|旗|镇|乡|村)[\u4e00-\u9fff·]{{2,3}}|[\u4e00-\u9fff·]{{2,3}})\s*$"
)
TRAILING_BYLINE = re.compile(rf"[（(](?P<byline>\s*(?:{_ROLE})[^（）()。，]{{1,160}}?)[）)]\s*$")
# After a sentence end: （马维平） / （张三 李四） / （据新华社电） / （本报综合）
_CREDIT = r"据?[\u4e00-\u9fff]{2,8}(?:社|报|网|台)(?:电|讯|消息)?|本报综合|综合报道"
TRAILING_NAMES = re.compile(
    rf"(?:(?<=[。！？!?])|(?<=[。！？!?…][”’]))\s*[（(](?P<byline>[\u4e00-\u9fff·]{{2,4}}(?:[\s、][\u4e00-\u9fff·]{{2,4}}){{0,3}}|{_CREDIT})[）)]\s*$"
)
_NOT_BYLINE = {"待续", "续完", "未完", "全文完", "完", "上", "下", "续"}


# A byline on a line of its own: □记者 张三 / 本报记者 张三 李四 / 文/图 张三 / 记者 张三 摄
BYLINE_LINE = re.compile(rf"^[{_MARKS}\s]*(?P<byline>(?:{_ROLE})[\s:：]*[\u4e00-\u9fff·]{{2,4}}(?:[\s、,，]+(?:(?:{_ROLE})[\s:：]*)?[\u4e00-\u9fff·]{{2,4}})*(?:\s*(?:摄影?报道|摄影?|报道|文/图|图/文))?)\s*$")
CONTINUED_FROM = re.compile(rf"^[（(]?\s*(?P<note>上接第?[{_CN_NUM}A-Z]+版)\s*[）)]?")
CONTINUED_TO = re.compile(rf"[（(]?\s*(?P<note>下转第?[{_CN_NUM}A-Z]+版)\s*[）)]?\s*$")
# A bulleted or numbered item starts a paragraph: ●… / 一、… / （1）… / 2.…
LIST_ITEM = re.compile(r"^(?:[●○◆◇■•▲△★☆]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．](?!\d))")
# Labelled paragraphs that always start afresh, even under an unfinished line.
# Labels of boxed texts printed under a headline (the box belongs to the article's body).
# roles a page's geometry gives heading blocks (newsnlp.layout)
HEADING_ROLES = ("kicker", "headline", "subtitle", "subhead")
BOX_LABEL = re.compile(r"^(?:核心阅读|内容提要|核心提示|阅读提示|导读|编者按|编者的话|背景资料|相关链接|延伸阅读|记者手记)$")
LEAD_LABEL = re.compile(r"^(?:编者按|编者的话|编后|记者手记|相关链接|链接|背景资料)[:：]|^【[^】]{2,8}】")
CAPTION_START = re.compile(r"^[▲△（(]?\s*(?:图为|上图|下图|左图|右图|图片说明|图[:：])|^(?:资料图片|新华社发|新华社记者\S{2,4}摄)$")
# Page furniture: page numbers, editor/proof lines, the paper's name and date line.
FURNITURE = [
    re.compile(rf"^第?[{_CN_NUM}]{{1,3}}版$|^[A-Z]{{1,2}}\d{{1,2}}(?:版)?$|^\d{{1,2}}$|^[—－-]+\s*\d{{1,3}}\s*[—－-]+$"),
    re.compile(rf"^(?:第[{_CN_NUM}]{{1,3}}版|[A-Z]{{1,2}}\d{{1,2}})\s*[\u4e00-\u9fff·]{{2,8}}$|^[\u4e00-\u9fff·]{{2,8}}\s*(?:第[{_CN_NUM}]{{1,3}}版|[A-Z]{{1,2}}\d{{1,2}})$"),
    # editor/proof lines (a phone or e-mail alone may be an article's own last line)
    re.compile(r"(?:本版|责任)?编辑[:：\s]|责编[:：\s]|美编[:：\s]|校对[:：\s]|组版[:：\s]|版式[:：\s]|排版[:：\s]"),
    re.compile(r"^(?:本版|新闻|报料|热线)?(?:电话|E-?mail|邮箱)[:：].*(?:版|编辑)|版.*(?:电话|E-?mail|邮箱)[:：]"),
    re.compile(r"\d{4}(?:年|[.\-/])\d{1,2}(?:月|[.\-/])\d{1,2}日?.{0,6}(?:星期|周)[一二三四五六日天]|(?:星期|周)[一二三四五六日天].{0,6}\d{4}年"),
    # a page code with its section between bars: A03 | 要闻 |
    re.compile(r"^[A-Z]{1,2}\d{1,2}\s*[|｜]\s*[\u4e00-\u9fff·]{2,8}\s*[|｜]?$"),
    # a hotline alone: 新闻热线：12345678
    re.compile(r"^(?:新闻|报料|读者|服务)?热线(?:电话)?[:：]?\s*[\d\-—\s]{5,}$"),
    # a paper's name (…报) and the date alone on a line (a running head or foot)
    re.compile(r"^[\u4e00-\u9fff·]{1,7}报\s*(?:19|20)\d\d年\d{1,2}月\d{1,2}日$|^(?:19|20)\d\d年\d{1,2}月\d{1,2}日\s*[\u4e00-\u9fff·]{1,7}报$"),
]
# A photo credit closing a caption: 本报记者 张三摄 / 新华社记者 张三 李四摄 / （新华社发） / 资料图片
PHOTO_CREDIT = re.compile(
    rf"(?:^|(?<=[。！？!?”’）)]))\s*[（(]?\s*(?P<credit>(?:{_ROLE})\s*[\u4e00-\u9fff·]{{2,4}}(?:[\s、]+[\u4e00-\u9fff·]{{2,4}})*\s*摄影?(?:报道)?"
    rf"|[\u4e00-\u9fff·]{{2,4}}\s*/\s*摄|新华社发(?:\s*[\u4e00-\u9fff·]{{2,4}}\s*摄)?|资料图片|[\u4e00-\u9fff·]{{2,8}}供图"
    # a bare name after the caption's last sentence, with the picture agency: 张三摄（某某视觉）
    rf"|(?<=[。！？!?])\s*[\u4e00-\u9fff·]{{2,4}}(?:[\s、][\u4e00-\u9fff·]{{2,4}})*\s*摄影?(?:[（(][\u4e00-\u9fff]{{2,8}}[）)])?"
    rf")\s*[）)]?\s*$"
)
# a bare name + 摄 (and the picture agency) on a line of its own: 张三摄（某某视觉）
OWN_LINE_CREDIT = re.compile(r"^(?:[\u4e00-\u9fff·]{2,4}[\s、]*){1,3}摄影?(?:报道)?\s*(?:[（(][^（）()]{2,12}[）)])?$")
CAPTION_MAX_CHARS = 150  # a longer block ending in a photo credit is an article of its own (a photo story)
_SENTENCE_PUNCT = re.compile(r"[，。；：,;]")
_PROSE_PUNCT = re.compile(r"[，。；：、,;]")  # a block with any of these reads as prose, not a heading
_FURNITURE_DATE = re.compile(r"((?:19|20)\d\d)(?:年|[.\-/])(\d{1,2})(?:月|[.\-/])(\d{1,2})")


_LAST_BRACKET = re.compile(r"[（(][^（）()]*[）)]\s*$")


_ANY_BRACKET = re.compile(r"[（(][^（）()]*[）)]")  # (search: the first bracket of a line)


def _despaced_bracket(text: str, pattern: re.Pattern = _LAST_BRACKET) -> str:
    """``text`` with the spaces of a character-spaced bracket (the last one, or with
    ``_ANY_BRACKET`` the first) removed: ``（本 报 记 者 王 小 明 、 李 四）``, also when a
    wrapped line glued two of its characters (``（ 记 者王 伟 健 ）``).  Offsets before the
    bracket do not move."""
    m = pattern.search(text)
    if not m or " " not in m.group().strip():
        return text
    tokens = m.group().strip()[1:-1].split()
    if "/" in m.group() or sum(len(t) == 1 and "\u4e00" <= t <= "\u9fff" for t in tokens) * 2 < len(tokens):
        return text  # （记者 张三 文/图）: words, not spaced characters
    return text[: m.start()] + m.group().replace(" ", "") + text[m.end():]


def trailing_byline(text: str) -> re.Match | None:
    """A byline closing an article's last paragraph: （记者 张三） or, after a sentence end, （张三）."""
    text = _despaced_bracket(text)
    m = TRAILING_BYLINE.search(text)
    if m:
        return m
    m = TRAILING_NAMES.search(text)
    if m and m.group("byline").strip() not in _NOT_BYLINE:
        return m
    return None


@dataclass
class Piece:
    """A block of the page before articles are known.

    kind: ``text`` (rejoined lines), ``byline`` (dateline and/or byline), ``caption``,
    ``continued_from``, ``furniture``.
    """

    kind: str
    lines: list[str] = field(default_factory=list)
    blank_before: bool = False
    run_in: bool = False  # began right after a dateline/byline on the same line
    marked_start: bool = False  # first line indented on a page that does not indent paragraphs
    wide_gap: bool = False  # two or more blank lines before it: a wider break than a column's
    short_lines: bool = True  # every line clearly short of its column (no line of running prose)
    dateline: str | None = None
    byline: str | None = None
    role: str | None = None  # from a page's geometry (newsnlp.layout): trusted over text cues
    boxes: list[tuple[float, float, float, float]] = field(default_factory=list)  # its lines' boxes

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def heading_like(self) -> bool:
        """Short, unpunctuated text: a headline, kicker, subtitle or subhead."""
        if self.role is not None:
            return self.kind == "text" and self.role in HEADING_ROLES
        if self.kind != "text" or self.run_in or len(self.lines) > 5:
            return False
        text = self.text
        if (not text or re.search(r"[。；;]", text) or trailing_byline(text) and re.search(r"[。！？!?…]", text)
                or TRAILING_DATELINE.match(text) or _BRACKETED_NOTE.match(text) or _is_credit_line(text)):
            return False
        if _QUOTED_SENTENCE.match(text):
            return False  # “会流失多少水分？”: a line of dialogue
        if not re.search(r"[！？!?]", text):
            if len(self.lines) <= 4 and _COLUMN_LABEL.search(text) and visual_width(text) <= 90:
                return True  # 乡村振兴，/ 用好脱贫经验（一线视角）: a headline ending in its column label
            if 1 <= _dash_line(self.lines) <= 3 and visual_width(text) <= 120:
                return True  # 高举团结旗帜，/ 从胜利走向新的胜利 / ——习近平总书记…: headline, subtitle
            if not _PROSE_PUNCT.search(text) and not is_terminal(text) and visual_width(text) <= 100:
                return True  # four or five lines without a mark of punctuation: no paragraph reads so
        if len(self.lines) > 3 or visual_width(text) > 48:
            return False
        if text[-1] in "，、,":
            return False
        if (self.blank_before and len(self.lines) <= 3 and visual_width(text) <= 48
                and any(line.rstrip().endswith("——") for line in self.lines)):
            return True  # a kicker leading into the headline: ……，……——
        # headlines may have one a line: 珀斯，留下问号 / 回眸去年：稳中有进 / 展望今年：再上台阶
        inner = re.findall("[，,：:]", text)
        # (lines all clearly short, none ending in a comma: a kicker and headline, commas or not)
        stacked = (self.short_lines and len(self.lines) >= 2 and len(inner) <= 3
                   and not any(line.rstrip()[-1:] in "，、,：:" for line in self.lines))
        if inner and not stacked and (any(len(re.findall("[，,：:]", line)) > 1 for line in self.lines)
                                      or len(inner) > 2 or len(self.lines) > 2 or visual_width(text) > 24):
            return False
        # a short headline may end in ！ ？ or …… (inside quotes too): 『谁来买单？』 / 春天来了……
        end = text.rstrip("”’」』》)）")[-1:]
        if end == "…":  # prose trails off like this too: only a bare phrase
            return visual_width(text) <= 24 and not _PROSE_PUNCT.search(text) and "“" not in text
        return not is_terminal(text) or (end in "！？!?" and visual_width(text) <= 24)


_DECORATION = "■□◆◇●○◎▲△★☆▼◢◣"


def _undecorated(text: str) -> str:
    """A heading or subhead without the ornament printed before it (■ 小标题, ◎引题); a mark
    that recurs in the line separates items (●打阵地战●打渗透战) and stays."""
    mark = text[:1]
    if mark not in _DECORATION or mark in text[1:]:
        return text
    return text.lstrip(_DECORATION + " ") or text


def _caption_text(text: str) -> str:
    """A caption without its leading ▲ and its photo credit."""
    m = PHOTO_CREDIT.search(text)
    if m and m.start() > 0:
        text = text[: m.start()]
    return _undecorated(text.strip())


# a credit line as printed, its names set apart: 王鸿义 陈严雪摄影报道（影像中国） / 张三摄
_SPACED_CREDIT_LINE = re.compile(
    r"^[\u4e00-\u9fff·]{2,4}(?:[\s、]+[\u4e00-\u9fff·]{2,4}){0,3}\s*摄影?(?:报道)?\s*(?:[（(][^（）()]{2,12}[）)])?$")


def _ends_in_credit(line: str) -> bool:
    """A printed line that ends in a photo credit (or is one)."""
    return PHOTO_CREDIT.search(line) is not None or _SPACED_CREDIT_LINE.match(line) is not None


def _caption_ahead(lines: list[Line], i: int) -> bool:
    """True when the lines from ``i`` to the next blank line are a picture caption: short,
    ending in a photo credit (……。 张三摄（某某视觉）)."""
    block = []
    for line in lines[i: i + 10]:
        if not line.text:
            break
        block.append(line.text)
        if _ends_in_credit(line.text):
            break
    text = "".join(block)
    m = PHOTO_CREDIT.search(text)
    return m is not None and 0 < m.start() <= CAPTION_MAX_CHARS


def _caption_from_above(article: Article, previous: Piece | None, last_body_piece: Piece | None) -> None:
    """A photo credit alone: the short paragraph right above it (from the previous piece) was
    the picture's caption, not body text."""
    body = article.body
    if (previous is not None and last_body_piece is previous and body and body[-1].kind == "p"
            and len(body[-1].text) <= CAPTION_MAX_CHARS):
        article.captions.append(body.pop().text)


def _is_credit_line(text: str) -> bool:
    """A photo credit alone: 本报记者 张三摄 / 张三摄（某某视觉） / （新华社发）."""
    m = PHOTO_CREDIT.search(text)
    return (m is not None and m.start() == 0) or OWN_LINE_CREDIT.match(text) is not None


SENTENCE_END_INSIDE = re.compile(r"[。！？!?；;]")
# a whole quoted sentence: “一斤肉会流失多少水分？” / “大概15%。”
_QUOTED_SENTENCE = re.compile(r"^“[^“”]*[。！？!?…]”$")


# a line that is one bracketed note (（作者为…）, （相关报道见第四版）) closes the text above it
_BRACKETED_NOTE = re.compile(r"^[（(][^（）()]+[）)]$")


def _width_changes(idx: list[int], widths: list[float], *, k: int = 5, step: float = 2.0) -> list[int]:
    """Positions in ``idx`` where the column width changes (the next article is set in
    narrower or wider columns): the typical width of the ``k`` long lines before and
    after differs by ``step`` or more, and most there."""
    def typical(ws: list[float]) -> float:
        ws = sorted(ws)
        return ws[len(ws) // 2]

    score = [0.0] * len(idx)
    for p in range(3, len(idx) - 2):
        before = [widths[j] for j in idx[max(0, p - k): p]]
        after = [widths[j] for j in idx[p: p + k]]
        score[p] = abs(typical(after) - typical(before))
    # the first position of the largest change in its neighbourhood
    return [p for p in range(len(idx)) if score[p] >= step
            and score[p] == max(score[max(0, p - k + 1): p + k])
            and score[p] > max(score[max(0, p - k + 1): p], default=0)]


def _column_widths(lines: list[Line]) -> list[float]:
    """For each line, the width of a full line of its column (a high percentile of the
    widths of the nearest lines set in the same column width)."""
    widths = [visual_width(line.text) for line in lines]
    present = sorted(w for w in widths if w > 0)
    if not present:
        return widths
    # Short lines (paragraph ends, headings) say nothing about the column's width.
    floor = 0.6 * present[int(0.75 * (len(present) - 1))]
    text_idx = [i for i, w in enumerate(widths) if w > 0]
    # ... unless they run on at the same width (a narrow column)
    in_run = {b for a, b, c in zip(text_idx, text_idx[1:], text_idx[2:])
              if widths[b] >= 4 and abs(widths[a] - widths[b]) <= 1 and abs(widths[c] - widths[b]) <= 1}
    idx = [i for i in text_idx if widths[i] >= floor or i in in_run] or text_idx
    cuts = [0, *_width_changes(idx, widths), len(idx)]
    result = [0.0] * len(lines)
    for i, w in enumerate(widths):
        if w:
            pos = bisect.bisect_left(idx, i)
            seg = bisect.bisect_right(cuts, min(pos, len(idx) - 1)) - 1
            lo, hi = cuts[seg], cuts[seg + 1]
            if hi - lo < 5:  # too few lines to tell: use the neighbours on both sides
                lo, hi = 0, len(idx)
            window = sorted(widths[j] for j in idx[max(lo, pos - 6): min(hi, pos + 7)])
            result[i] = window[int(0.67 * (len(window) - 1))]
    return result


def _is_furniture(text: str) -> bool:
    compact = text.replace(" ", "")
    return visual_width(text) <= 40 and any(p.search(text) or p.search(compact) for p in FURNITURE)


def _split_marker(text: str) -> tuple[str | None, str | None, str]:
    """Dateline and bracketed byline at the start of a line -> (dateline, byline, rest).

    A bracket holding a role (（记者 张三）) opens an article by itself; a bracket of bare
    names (（张三 李四）) only right after a dateline or alone on its line.
    """
    dateline = byline = None
    # （ 记 者 王 小 明 ）, 本报记者 刘 峰, 本报北京2月 1 1 日电
    text = join_spaced_characters(_despaced_bracket(text, _ANY_BRACKET))
    m = DATELINE.match(text)
    if m:
        dateline = remove_layout_spaces(m.group("dateline"))
        text = text[m.end():]
    m = BRACKET_BYLINE.match(text) or BRACKET_NAMES.match(text) or (dateline and REPORTED_BY.match(text))
    if m and (dateline or m.re is BRACKET_BYLINE or not text[m.end():].strip()):
        byline = m.group("byline").strip()
        text = text[m.end():]
    if dateline is None and byline is None:
        m = BYLINE_LINE.match(text) or MARKED_BYLINE.match(text)
        if m:
            return None, m.group("byline").strip(), ""
    return dateline, byline, text.strip()


_DATELINE_START = re.compile(rf"^[{_MARKS}\s]*据?(?:本报|新华社|中新社|[\u4e00-\u9fff]{{2,6}}(?:社|网|报|台))")


def _close_brackets(lines: list[Line]) -> list[Line]:
    """Rejoin a dateline, or a byline bracket, that wraps onto the next line
    (``据新华社北京1月19`` / ``日电 …``, ``本报讯（记`` / ``者 张三）``)."""
    out = list(lines)
    dropped: set[int] = set()
    for i, line in enumerate(out):
        text = line.text
        m = DATELINE.match(text)
        if m and re.match(rf"\s*(?:{_ROLE})", text[m.end():]) and not REPORTED_BY.match(text[m.end():]):
            # 本报南京1月1日电记者龚 / 永泉报道：…
            j = next((k for k in range(i + 1, min(i + 3, len(out))) if out[k].text), None)
            if j is not None and REPORTED_BY.match(text[m.end():] + out[j].text):
                text = text + out[j].text
                out[i] = Line(text, indented=line.indented)
                out[j] = Line("")
                dropped.update(range(i + 1, j + 1))
                continue
        if _DATELINE_START.match(text) and not DATELINE.match(text):
            j = next((k for k in range(i + 1, min(i + 3, len(out))) if out[k].text), None)
            if j is not None:
                m = DATELINE.match(text + out[j].text)
                if m and m.group("date") and m.start("date") < len(text) < m.end():
                    text = text + out[j].text
                    out[i] = Line(text, indented=line.indented)
                    out[j] = Line("")
                    dropped.update(range(i + 1, j + 1))
        opened = text.rfind("（") if "（" in text else text.rfind("(")
        if opened < 0 or "）" in text[opened:] or ")" in text[opened:]:
            continue
        if not (DATELINE.match(text) or opened == 0 or text[:opened].strip(_MARKS + " ") == ""):
            continue
        j = next((k for k in range(i + 1, min(i + 3, len(out))) if out[k].text), None)
        if j is None:
            continue
        close = re.search(r"[）)]", out[j].text[:24])
        if close:
            out[i] = Line(text + out[j].text, indented=line.indented)
            out[j] = Line("")
            dropped.update(range(i + 1, j + 1))
    # the lines taken up, and the column break between, are gone
    return [line for k, line in enumerate(out) if k not in dropped]


# 举办广场舞大赛 助力文明城市创建: two phrases set apart by a space, no sentence punctuation.
_PHRASE_GAP = re.compile(r"^[^，。；,;]*[\u4e00-\u9fff]{2} [\u4e00-\u9fff]{2}[^，。；,;]*$")


def _detach_heading_tail(current: Piece | None, pieces: list[Piece]) -> None:
    """Headline lines printed right under the previous article's last line, with no blank
    line between, were read as its continuation: when a dateline or byline follows, move
    the unpunctuated lines after the last sentence end out into a heading piece."""
    if current is None or len(current.lines) < 2:
        return
    cut = len(current.lines)
    while cut > 0 and len(current.lines) - cut < 3:
        line = current.lines[cut - 1]
        if is_terminal(line) or _SENTENCE_PUNCT.search(line):
            break
        cut -= 1
    last = current.lines[cut - 1] if cut else ""
    if 0 < cut < len(current.lines) and (is_terminal(last) or trailing_byline(last)):
        pieces.append(Piece("text", current.lines[:cut], blank_before=current.blank_before, run_in=current.run_in,
                            wide_gap=current.wide_gap))
        current.lines = current.lines[cut:]
        current.blank_before, current.run_in, current.wide_gap = False, False, False


def _unwrapped(lines: list[Line]) -> bool:
    """True for text that is not hard-wrapped (one line a paragraph, as e-paper text exports
    give): nearly every line of prose ends a sentence, where wrapped lines mostly stop mid-sentence."""
    prose = [line.text for line in lines if line.text and _PROSE_PUNCT.search(line.text)
             and visual_width(line.text) >= 12]
    ends = sum(1 for text in prose if is_terminal(text) or trailing_byline(text) or CONTINUED_TO.search(text))
    return len(prose) >= 4 and ends >= UNWRAPPED_SHARE * len(prose)


UNWRAPPED_SHARE = 0.8


INDENT_RARE_SHARE = 0.25  # paragraph starts indented on at most this share: an indent marks something


def _indented_starts(lines: list[Line], widths: list[float]) -> tuple[int, int]:
    """(lines that clearly start a paragraph, how many of them are indented)."""
    starts = indented = 0
    prev: Line | None = None
    for line, width in zip(lines, widths):
        if not line.text:
            continue
        # (headings and bylines there are short lines without prose punctuation)
        prose = visual_width(line.text) >= width - 4 or _PROSE_PUNCT.search(line.text)
        short_prev = prev is not None and visual_width(prev.text) < width - 4
        heading_prev = short_prev and not _PROSE_PUNCT.search(prev.text) and not is_terminal(prev.text)
        if short_prev and (is_terminal(prev.text) or heading_prev) and prose:
            starts += 1
            indented += line.indented
        prev = line
    return starts, indented


def _first_lines_set_short(lines: list[Line], widths: list[float]) -> bool:
    """True when unindented first lines of paragraphs are about two characters short of
    the column (an indent the extraction lost), False when they fill it; undecided
    (fewer than 3 clear cases) counts as True."""
    shortfalls = []
    text_idx = [i for i, line in enumerate(lines) if line.text]
    for a, b, c in zip(text_idx, text_idx[1:], text_idx[2:]):
        prev, line, nxt = lines[a], lines[b], lines[c]
        if line.indented or not is_terminal(prev.text) or visual_width(prev.text) >= widths[a] - 3:
            continue
        if is_terminal(line.text) or visual_width(nxt.text) < widths[c] - 1.5 or DATELINE.match(line.text):
            continue
        shortfalls.append(widths[b] - visual_width(line.text))
    if len(shortfalls) < 3:
        return True
    shortfalls.sort()
    return shortfalls[len(shortfalls) // 2] >= 1.5


def _lone_heading_line(lines: list[Line], i: int, column_width: float) -> bool:
    """True when line ``i`` stands alone between blank lines and reads like a short heading."""
    alone = (i + 1 >= len(lines) or not lines[i + 1].text) and (i == 0 or not lines[i - 1].text)
    text = lines[i].text
    return (alone and visual_width(text) < column_width - 1.5
            and not is_terminal(text) and not _SENTENCE_PUNCT.search(text))


def _short_of_a_number(lines: list[Line], i: int, width: float, column_width: float) -> bool:
    """True when line ``i`` stops short only because the number or Latin word that opens
    the next line (``2024年``) did not fit: such runs are never broken."""
    nxt = next((line.text for line in lines[i + 1: i + 3] if line.text), "")
    m = re.match(r"[!-~]+", nxt)
    return m is not None and width + visual_width(m.group(0)) >= column_width - 0.5


def _ends_sentence(text: str, previous: str = "") -> bool:
    """True when a line ends a sentence, layout spaces aside (``不够。 ”``), also when it
    holds only the closing quote of the line before, or ends with a trailing byline."""
    squeezed = re.sub(r"\s+", "", text)
    if re.fullmatch(r"[”’」』）)》]+", squeezed):
        squeezed = re.sub(r"\s+", "", previous) + squeezed
    return is_terminal(squeezed) or trailing_byline(text) is not None


def _unclosed_bracket(text: str) -> bool:
    """True when ``text`` ends inside a bracket opened after a sentence end: （记者 张三"""
    opened = max(text.rfind("（"), text.rfind("("))
    return opened > 0 and not re.search(r"[）)]", text[opened:]) and is_terminal(text[:opened].rstrip())


def _heading_under_text(lines: list[Line], i: int, column_width: float, use_indent: bool = False) -> bool:
    """True when line ``i`` is short, unpunctuated and set off by a blank line (or a
    dateline/byline, or on a page that indents paragraphs an indented line) below: after
    a sentence end that is a heading, since a paragraph never ends without punctuation."""
    text = lines[i].text
    quoted = re.fullmatch(r"“[^“”]+”", text) is not None  # “我窥见了一个非凡文明”: a quoted heading
    if (visual_width(text) >= column_width - 1.5 or is_terminal(text) or _PROSE_PUNCT.search(text)
            or re.search(r"[）)”’」』》]$", text) and not quoted):
        return False
    # (a heading may run over a few more short unpunctuated lines: 换俘问题持续推进 / 人道危机有望缓解 / …)
    j = i + 1
    while (j < len(lines) and j <= i + 3 and lines[j].text and not (use_indent and lines[j].indented)
           and visual_width(lines[j].text) < column_width + 3 and not _PROSE_PUNCT.search(lines[j].text)
           and not is_terminal(lines[j].text) and not _opens_with_marker(lines[j].text)):
        j += 1
    below = lines[j] if j < len(lines) else Line("")
    return not below.text or use_indent and below.indented or _opens_with_marker(below.text)


def _opens_with_marker(text: str) -> bool:
    """A dateline or a byline starts this line."""
    return bool(DATELINE.match(text) or BRACKET_BYLINE.match(text) or BYLINE_LINE.match(text))


def _periodic_breaks(lines: list[Line], widths: list[float], use_indent: bool) -> dict[int, bool]:
    """Column breaks recur every ``h`` lines of an article's text.  Where blank lines
    after mid-sentence lines (sure column breaks) show that period, a blank line after a
    full line ending a sentence is a column break when it falls on the period (True) and
    a paragraph break when it does not (False).  Keyed by the index of the line above."""
    result: dict[int, bool] = {}
    segments: list[list[int]] = [[]]
    for i, line in enumerate(lines):
        text = line.text
        if not text or line.doubled:
            continue
        heading = (visual_width(text) < widths[i] - 1.5 and not _PROSE_PUNCT.search(text)
                   and not is_terminal(text))
        if heading or _is_furniture(text) or DATELINE.match(text) or BYLINE_LINE.match(text):
            segments.append([])  # a new article, or at least a new stretch of text
            continue
        segments[-1].append(i)
    for seg in segments:
        blank_after = [k for k, i in enumerate(seg[:-1]) if seg[k + 1] > i + 1]
        sure, unsure = [], []
        for k in blank_after:
            i = seg[k]
            if visual_width(lines[i].text) < widths[i] - 1.5 or (use_indent and lines[seg[k + 1]].indented):
                continue
            (unsure if is_terminal(lines[i].text) else sure).append(k)
        if len(sure) < 2 or not unsure:
            continue
        gaps = [b - a for a, b in zip(sure, sure[1:])]
        period = min(gaps)
        if period < 3 or any(g % period for g in gaps):
            continue
        for k in unsure:  # (not far beyond the stretch the period was seen in)
            if sure[0] - period <= k <= sure[-1] + period:
                result[seg[k]] = (k - sure[0]) % period == 0
    return result


INDENT_ALL_SHARE = 0.8  # more of the lines indented than this: the extraction indents every line


def assemble_blocks(lines: list[Line]) -> list[Piece]:
    """Rejoin hard-wrapped lines into pieces (see the module docstring)."""
    if any(line.role for line in lines):
        return pieces_from_layout(lines)
    lines = _close_brackets(lines)
    widths = _column_widths(lines)
    # Indentation marks paragraph starts, unless the extraction indents every line.
    text_lines = [line for line in lines if line.text]
    use_indent = sum(line.indented for line in text_lines) <= INDENT_ALL_SHARE * len(text_lines)
    starts, indented_starts = _indented_starts(lines, widths)
    # most paragraph starts indented: an unindented line never starts one
    indent_marks_paragraphs = use_indent and starts >= 3 and indented_starts >= 0.6 * starts
    # indents almost never: an indent marks something (an article set apart), not a paragraph
    # (on a page of mixed indents it does not)
    indent_is_rare = use_indent and (starts < 3 or indented_starts <= INDENT_RARE_SHARE * starts)
    first_lines_short = _first_lines_set_short(lines, widths)
    periodic = _periodic_breaks(lines, widths, use_indent)
    unwrapped = _unwrapped(lines)
    prev_index = -1
    pieces: list[Piece] = []
    current: Piece | None = None
    prev_full = False  # the previous text line filled its column (or was a run-in remainder)
    prev_terminal = True  # the page starts like a paragraph would
    prev_wide = prev_wider = False
    after_dateline = prev_short = False
    blank = False
    blanks = 0
    current_prose = False  # kept as lines are added: rescanning the block made long blocks quadratic
    caption_block = False  # inside a block (after a blank line) that ends in a photo credit

    def flush() -> None:
        nonlocal current
        if current is not None and current.lines:
            pieces.append(current)
        current = None

    for i, line in enumerate(lines):
        text = line.text
        if not text:
            blanks += 1 if blank else 0
            blank = True
            continue
        gap = blanks
        blanks = 0
        if line.doubled:
            flush()
            pieces.append(Piece("caption", [text], blank_before=blank))
            blank = False
            continue
        if _is_furniture(text):
            flush()
            pieces.append(Piece("furniture", [text], blank_before=blank))
            blank = True  # furniture sets what follows apart, like a blank line
            continue
        run_in = False
        m = CONTINUED_FROM.match(text)
        if m:
            flush()
            pieces.append(Piece("continued_from", [m.group("note")], blank_before=blank))
            text, blank, run_in = text[m.end():].strip(), False, True
            if not text:
                continue
        dateline, byline, rest = _split_marker(text)
        if (byline and not dateline and not rest and _LABEL_LINE.match(text)
                and not prev_terminal and _heading_so_far(current)):
            byline = None  # （说道） under headline lines: the column label, not a name
        if dateline or byline:
            _detach_heading_tail(current, pieces)
            flush()
            pieces.append(Piece("byline", [text], blank_before=blank, dateline=dateline, byline=byline))
            blank = False
            if not rest:
                prev_full, prev_terminal = False, True
                after_dateline = dateline is not None
                continue
            text, run_in = rest, True
        width = visual_width(text)
        terminal = _ends_sentence(text, current.lines[-1] if current is not None else "")
        indented = use_indent and line.indented and not run_in
        item = prev_terminal and LIST_ITEM.match(text) is not None or LEAD_LABEL.match(text) is not None
        if current is not None and (_PHRASE_GAP.search(current.lines[-1]) or _PHRASE_GAP.search(text)):
            item = True  # a line with a gap between two phrases is a headline line, not prose
        if current is not None and not blank and prev_terminal and _heading_under_text(lines, i, widths[i], use_indent):
            item = True  # a heading printed right under the last line of the text before it
        box_label = BOX_LABEL.match(text.replace(" ", "")) is not None
        label_heading = _labelled_heading_line(text)
        labelled = label_heading and (current is None or prev_terminal or blank)
        if box_label:
            item = True  # 核心阅读 opens a box of its own
        if labelled:
            item = True  # ……（今日谈）: a headline with its column label
        # a bracket left open at the end of the line above closes here: （记者 / 张三）
        closes_bracket = (current is not None and _unclosed_bracket(current.lines[-1])
                          and re.search(r"[）)]", text[:30]) is not None)
        if current is not None and not closes_bracket and (indented or item or blank and CAPTION_START.match(text)):
            flush()
        if current is not None and not closes_bracket:
            # A paragraph never ends mid-sentence: once a block reads as prose, it goes on
            # until a sentence end.  Otherwise a full line continues; across a blank line
            # (a column break) only mid-sentence and not into a lone short heading line.
            prose = current_prose  # any line of the block so far has prose punctuation
            continues = (prev_full or prose) and not prev_terminal
            if blank and current.lines[-1].endswith(("：", ":")):
                continues = False  # 如下： then a blank line: the list or quote starts afresh
            if blank:
                # On a page that indents its paragraphs, an unindented line of prose after a
                # full line is the same paragraph going on in the next column.
                # A short unfinished line right above a new paragraph is a heading, though.
                nxt = lines[i + 1] if i + 1 < len(lines) else Line("")
                column_break = indent_marks_paragraphs and prev_full and not indented and (
                    terminal or width >= widths[i] - 1.5
                    or _SENTENCE_PUNCT.search(text) and nxt.text and not (use_indent and nxt.indented))
                if prev_short and not prev_full:
                    continues = False  # a clearly short line, then a blank: the block ended
                # Two blank lines are a wider break than a column's, unless a paragraph
                # stopped mid-sentence on a full line (it cannot end there).
                joins = ((continues or column_break) and not prev_wide
                         and (gap == 0 or prose and prev_full and not prev_terminal
                              and not re.search(r"[）)」』”’》]$", current.lines[-1]))
                         and not _lone_heading_line(lines, i, widths[i]))
                if prev_index in periodic and gap == 0 and not indented:
                    joins = periodic[prev_index]  # on or off the page's column period
                caption_block = _caption_ahead(lines, i)
                if caption_block:
                    joins = False  # a picture caption set in the column, its credit at its end
            else:
                joins = (prev_full or continues) and not (prev_wider and not prose)
                if caption_block:
                    joins = True  # the caption's lines stay together up to its credit
            if (len(current.lines) == 1 and current.lines[0].startswith(("—", "－"))
                    and pieces and pieces[-1].heading_like or blank and text.startswith(("—", "－")) and not prose):
                joins = False  # a dashed subtitle under a headline is a line of its own
            if unwrapped and not closes_bracket:
                joins = False  # an export with one line a paragraph: no line runs on
            if not joins:
                flush()
        # The first line of a paragraph is indented by about two characters; a line right
        # under an unfinished heading line is that heading's second line, not indented.
        # (only on pages whose unindented first lines are set short: a lost indent)
        starts = current is None and (indented or first_lines_short and (prev_terminal or run_in or blank))
        indent = 3.0 if starts else 0.0
        # the first line under a dateline of its own goes on like a run-in line
        under_dateline, after_dateline = after_dateline, False
        prev_index = i
        full = (run_in or under_dateline or width >= widths[i] - 1.5 - indent
                or not terminal and _short_of_a_number(lines, i, width, widths[i]))
        label_alone = _LABEL_LINE.match(text) is not None and _heading_so_far(current)  # …新活力 / （解码·赓续文脉）
        numbered_heading = (prev_terminal and _NUMBERED_HEADING.match(text) is not None
                            and width < widths[i] - 3)  # 一、龙头企业带动明显 (short: a heading, not a list item)
        if box_label or label_alone or numbered_heading or label_heading and (
                labelled or not prev_full or _block_ends_below(lines, i, use_indent)):
            full, terminal = False, True  # 核心阅读, ……（今日谈）: a line of its own
        if current is None:
            current = Piece("text", [], blank_before=blank, run_in=run_in, wide_gap=gap >= 1,
                            marked_start=indented and indent_is_rare)
            current_prose = indented and indent_marks_paragraphs  # an indented paragraph start is prose
        current.lines.append(text)
        current.short_lines = current.short_lines and width < widths[i] - 3
        current_prose = current_prose or _PROSE_PUNCT.search(text) is not None
        # A bracketed byline can wrap: …水晶塔。（董振 / 国）
        terminal = terminal or trailing_byline("".join(current.lines[-2:])) is not None
        if (TRAILING_DATELINE.search("".join(current.lines[-2:])) or CONTINUED_TO.search(text)
                or _ends_in_credit(text)):
            caption_block = False  # (the credit ends a caption block)
            terminal, full = True, False  # （本报北京1月15日电）, （下转第4版） end the text: nothing runs on
        prev_full, prev_terminal = full, terminal
        prev_short = width < widths[i] - 3
        prev_wide = width > widths[i] * 1.2 + 1
        # wider than the column: a headline across columns (not right under a dateline)
        prev_wider = width > widths[i] + 2 and not under_dateline
        blank = False
    flush()
    return pieces


def pieces_from_layout(lines: list[Line]) -> list[Piece]:
    """Lines whose roles and paragraph starts a page's geometry gave (:mod:`newsnlp.layout`)
    -> pieces: one per heading block, paragraph, caption or furniture line.  Datelines,
    bylines and continuation notes are found in the text, as on text pages."""
    groups: list[tuple[str, list[Line]]] = []
    for line in lines:
        if not line.text:
            continue
        role = line.role or "body"
        if groups and groups[-1][0] == role and not line.indented:
            groups[-1][1].append(line)
        else:
            groups.append((role, [line]))
    pieces: list[Piece] = []
    for role, group in groups:
        if role in ("body", "byline") and len(group) > 1:
            k = _byline_lines(group)
            if k:  # 本报记者 甲、乙、丙…… on lines of its own above the text, however many names
                text = "".join(line.text for line in group[:k])
                pieces.append(Piece("byline", [text], byline=text.strip(),
                                    boxes=[line.bbox for line in group[:k] if line.bbox]))
                group = group[k:]
        texts = [line.text for line in group]
        boxes = [line.bbox for line in group if line.bbox]
        if role == "furniture":
            pieces.extend(Piece("furniture", [line.text], boxes=[line.bbox] if line.bbox else []) for line in group)
            continue
        if role == "credit" and not (pieces and pieces[-1].kind == "caption"):
            role = "body"  # a credit not under a caption: the splitter attaches it as on text pages
        if role in ("caption", "credit"):
            text = join_lines(texts)
            m = PHOTO_CREDIT.search(text)
            if m and m.start() == 0 and pieces and pieces[-1].kind == "caption":
                pieces[-1].boxes.extend(boxes)  # the credit under a caption: part of it, not text
                continue
            if m and m.start() > 0:
                text = text[: m.start()].rstrip()  # the caption without its photo credit
            pieces.append(Piece("caption", [text], blank_before=True, boxes=boxes))
            continue
        if role == "byline":  # names under a headline, in small type (newsnlp.layout)
            text = " ".join(texts)
            dateline, byline, _ = _split_marker(text)
            pieces.append(Piece("byline", [text], dateline=dateline, byline=byline or text.strip(), boxes=boxes))
            continue
        if role in HEADING_ROLES:
            pieces.append(Piece("text", texts, blank_before=True, role=role, boxes=boxes))
            continue
        # spaces inside lines kept (they part the names of a byline), none added between lines
        # but between two Latin words; Piece.text drops the layout spaces as on text pages
        text = texts[0]
        for line in texts[1:]:
            text += (" " if re.match(r"[A-Za-z0-9]", line) and re.search(r"[A-Za-z0-9,.;:]$", text) else "") + line
        if _is_furniture(join_lines([text])):
            pieces.append(Piece("furniture", [text], boxes=boxes))
            continue
        run_in = False
        m = CONTINUED_FROM.match(text)
        if m:
            pieces.append(Piece("continued_from", [m.group("note")], boxes=boxes))
            text, run_in = text[m.end():].strip(), True
        dateline, byline, rest = _split_marker(text)
        if dateline or byline:
            pieces.append(Piece("byline", [text], dateline=dateline, byline=byline, boxes=boxes))
            text, run_in = rest, True
        if text:
            pieces.append(Piece("text", [text], blank_before=True, run_in=run_in, role="body", boxes=boxes))
    _subheads_in_body_type(pieces)
    return pieces


def _subheads_in_body_type(pieces: list[Piece]) -> None:
    """A paragraph of one short line without punctuation between two paragraphs of text is a
    subhead, though set in body type (``【人物】……``, ``一、……``): no paragraph reads so."""
    for k in range(1, len(pieces) - 1):
        piece, before, after = pieces[k], pieces[k - 1], pieces[k + 1]
        if piece.role != "body" or piece.run_in or len(piece.lines) != 1 or before.role != "body" or after.role != "body":
            continue
        text = join_lines(piece.lines)
        if (visual_width(text) <= 30 and not _PROSE_PUNCT.search(text.replace("【", "").replace("】", ""))
                and not is_terminal(text) and is_terminal(before.text)
                and not (text[0] in "（(" and text[-1] in "）)")):
            piece.role = "subhead"


_LIST_BYLINE = re.compile(rf"^(?:{_ROLE})[\s:：]*[\u4e00-\u9fff·]{{2,5}}(?:[\s、,，]+[\u4e00-\u9fff·]{{2,5}})*$")


def _byline_lines(group: list[Line]) -> int:
    """How many of a block's first lines (up to three) are a byline alone: a role word and
    names, the last line of them short of the column (the text starts on the next line)."""
    for k in (1, 2, 3):
        if k >= len(group):
            break
        text = "".join(line.text for line in group[:k])  # (a name may wrap: 何 / 勇)
        if _LIST_BYLINE.match(text.strip()):
            last, below = group[k - 1].bbox, group[k].bbox
            if k > 1 or not (last and below) or last[2] < below[2] - 2 * (last[3] - last[1]):
                return k
    return 0


def _union(boxes: list) -> list[float] | None:
    """The box round all of ``boxes`` (rounded to 0.1 pt), or None for none."""
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return [round(min(b[0] for b in boxes), 1), round(min(b[1] for b in boxes), 1),
            round(max(b[2] for b in boxes), 1), round(max(b[3] for b in boxes), 1)]


_ROLE_PREFIX = re.compile(rf"^(?:{_ROLE})(?=[\u4e00-\u9fff])")
_PLACE_PREFIX = re.compile(r"^[\u4e00-\u9fff]{1,10}(?:省|市|县|区|州|旗|镇|乡|村)(?=[\u4e00-\u9fff·]{2,3}$)")
_ROLE_WORD = re.compile(rf"^(?:{_ROLE}|摄影?|报道|供图)$")


def parse_reporters(byline: str | None) -> list[str]:
    """Names in a byline: ``记者 张三 通讯员 李四`` -> [张三, 李四]; roles and credits dropped."""
    if not byline:
        return []
    names = []
    # 、 separates names, so a space inside one segment next to a single character is a
    # layout space of a broken or spaced name: 顾 小立 -> 顾小立
    byline = "、".join(
        re.sub(r"(?<=[\u4e00-\u9fff])\s+(?=[\u4e00-\u9fff])", "", seg)
        if "、" in byline and any(len(t) == 1 for t in seg.split()) and len(seg.split()) > 1 and "/" not in seg
        else seg
        for seg in byline.split("、")
    )
    for token in re.split(r"[\s、,，:：]+", byline.strip()):
        token = token.strip("·")
        if not token or _ROLE_WORD.match(token) or re.fullmatch(_CREDIT, token):
            continue
        token = re.sub(r"(?:摄影?|报道)$", "", _ROLE_PREFIX.sub("", token))
        if len(token) > 4:  # 湖南某市张三: a place, then the name
            token = _PLACE_PREFIX.sub("", token)
        if 2 <= len(token) <= 4 and all("\u4e00" <= ch <= "\u9fff" or ch == "·" for ch in token):
            names.append(token)
    return names


def _add_byline(article: Article, byline: str) -> None:
    """Append a byline (an article may have a leading and a trailing one) and its names;
    a photo credit alone (本报记者 张三摄) names a photographer, not a reporter."""
    article.byline = f"{article.byline} {byline}" if article.byline else byline
    if re.search(r"摄(?:影)?(?:报道)?\s*$", byline) and "文" not in byline:
        return
    article.reporters.extend(n for n in parse_reporters(byline) if n not in article.reporters)


def _paragraphs_set_apart(pieces: list[Piece]) -> bool:
    """Whether this page prints a blank line between paragraphs (then a heading with none
    under it stands out; on a page that never does, a missing blank line says nothing)."""
    pairs = gaps = 0
    for before, piece in zip(pieces, pieces[1:]):
        if piece.kind == before.kind == "text" and not piece.heading_like and not before.heading_like:
            pairs += 1
            gaps += piece.blank_before
    if not pairs:  # no two paragraphs in a row: does the page use blank lines at all?
        return any(piece.blank_before for piece in pieces[1:] if piece.kind == "text")
    return gaps >= TIGHT_PAGE_SHARE * pairs


TIGHT_PAGE_SHARE = 0.2  # paragraphs set apart by a blank line on fewer than this share: a tight page


def _page_digest(pieces: list[Piece]) -> str:
    h = hashlib.sha1()
    for p in pieces:
        h.update("\n".join(p.lines).encode("utf-8"))
    return h.hexdigest()


@dataclass
class _Draft:
    article: Article
    closed: bool = False  # a trailing byline or 下转 note ended it
    boxes: list = field(default_factory=list)  # boxes of the pieces it was made of (pages with geometry)

    @property
    def has_body(self) -> bool:
        return bool(self.article.body)


def _heading_parts(group: list[Piece]) -> tuple[str | None, list[str], str | None]:
    """Headline group -> (kicker, headline lines, subtitle).

    Blocks are grouped into chunks by blank lines.  The first chunk is the headline,
    unless it is one very short line with more chunks after it (a column kicker).
    Later chunks, and chunks starting with a dash, are the subtitle.
    """
    if any(piece.role for piece in group):  # roles from the page's geometry
        def role_lines(*roles: str) -> list[str]:
            return [_undecorated(headline_text(line)) for piece in group if piece.role in roles for line in piece.lines]

        headline = role_lines("headline", "subhead")
        kicker = "".join(role_lines("kicker")) or None
        # (OCR reads a dash as 一一)
        subtitle = "".join(re.sub("^(?:一一|[—－ ])+", "", line) for line in role_lines("subtitle")) or None
        if not headline and kicker:
            headline, kicker = [kicker], None
        return kicker, headline, subtitle
    chunks: list[list[str]] = []
    for piece in group:
        if piece.blank_before or not chunks:
            chunks.append([])
        chunks[-1].extend(_undecorated(headline_text(line)) for line in piece.lines)
    kicker = None
    # (not when the next chunk opens with a dash: that is the subtitle of a short headline)
    if (len(chunks) > 1 and len(chunks[0]) == 1 and visual_width(chunks[0][0]) <= 6
            and not chunks[1][0].startswith(("—", "－"))):
        kicker = chunks.pop(0)[0]
    subtitle_lines = [ln for ch in chunks[1:] for ln in ch]
    headline = chunks[0]
    while len(headline) > 1 and headline[-1].startswith(("—", "－")):
        subtitle_lines.insert(0, headline.pop())
    subtitle = "".join(ln.lstrip("—－ ") for ln in subtitle_lines) or None
    return kicker, headline, subtitle


_COLUMN_LABEL = re.compile(r"[\u4e00-\u9fff”》][（(][\u4e00-\u9fff·“”‘’《》、，0-9①-⑳（）]{2,24}[）)]$")


_NUMBERED_HEADING = re.compile(r"^(?:[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十]{1,3}[）)])[^，。；：,;:！？!?、]{2,20}$")
_LABEL_LINE = re.compile(r"^[（(][\u4e00-\u9fff·“”‘’《》、，0-9①-⑳]{2,24}[）)]$")


def _heading_so_far(current: Piece | None) -> bool:
    """True when the block being built is a few lines without a sentence end (a heading so far)."""
    return current is not None and len(current.lines) <= 4 and not any(
        SENTENCE_END_INSIDE.search(x) for x in current.lines)


def _dash_line(lines: list[str]) -> int:
    """Index of the first line after the first that opens with a dash (a subtitle), else 0."""
    return next((k for k, line in enumerate(lines) if k and line.lstrip().startswith(("——", "－－"))), 0)


def _block_ends_below(lines: list[Line], i: int, use_indent: bool) -> bool:
    """True when nothing runs on from line ``i``: a blank line, an indented line (on a page
    that indents paragraphs), a dateline or byline, or the end of the page follows."""
    if i + 1 >= len(lines) or not lines[i + 1].text:
        return True
    below = lines[i + 1]
    return (use_indent and below.indented) or _opens_with_marker(below.text)


def _labelled_heading_line(text: str) -> bool:
    """A line that is a headline with its column label: ``今年春晚不一般（今日谈）``."""
    return (_COLUMN_LABEL.search(text) is not None and visual_width(text) <= 40
            and not SENTENCE_END_INSIDE.search(text)  # (so no trailing byline: one follows a sentence end)
            and not DATELINE.match(text)
            and _balanced(text, "《", "》") and _balanced(text, "“", "”"))


def _balanced(text: str, opening: str, closing: str) -> bool:
    """No mark closed before it opened, none left open (a line that is a whole title)."""
    depth = 0
    for ch in text:
        depth += (ch == opening) - (ch == closing)
        if depth < 0:
            return False
    return depth == 0


def _headline_group(group: list[Piece]) -> bool:
    """True when a heading group reads as a headline rather than a subhead: its first
    chunk runs over two or more lines with no blank between (a subhead is one short line,
    or phrases set apart by blanks), or a dashed subtitle follows it."""
    if any(piece.text.startswith(("—", "－")) for piece in group[1:]):
        return True
    if _COLUMN_LABEL.search(group[-1].text):
        return True  # ……（经济观察）: a column label marks a headline; subheads carry none
    lines = len(group[0].lines)
    for piece in group[1:]:
        if piece.blank_before:
            break
        lines += len(piece.lines)
    return lines >= 2


def split_page(lines: list[Line], *, source: str = "<text>") -> Page:
    """Group a page's clean lines into articles."""
    pieces = assemble_blocks(lines)
    digest = _page_digest(pieces)
    if any(piece.boxes for piece in pieces):  # a page of a PDF: the same page may be printed in two files
        digest = hashlib.sha1(f"{source}\n{digest}".encode("utf-8")).hexdigest()
    set_apart = _paragraphs_set_apart(pieces)
    page = Page(source=source)
    drafts: list[_Draft] = []
    pending: list[Piece] = []
    current: _Draft | None = None
    seen_content = False

    def new_article(heading: list[Piece]) -> _Draft:
        kicker, headline, subtitle = _heading_parts(heading) if heading else (None, [], None)
        draft = _Draft(Article(id="", headline=headline, kicker=kicker, subtitle=subtitle))
        draft.boxes.extend(box for piece in heading for box in piece.boxes)
        drafts.append(draft)
        return draft

    def take_section() -> None:
        """A short first line of the page above a headline group is the section name."""
        nonlocal pending
        if page.section is None and not seen_content and len(pending) > 1 and pending[0].role is None:
            first = pending[0]
            if len(first.lines) == 1 and visual_width(first.text) <= 8 and pending[1].blank_before:
                page.section = first.text
                pending = pending[1:]

    after_caption = False  # the pending heading follows a caption
    last_body_piece: Piece | None = None  # the piece the last body paragraph came from
    for piece, previous in zip(pieces, [None, *pieces]):
        if (previous is not None and previous.boxes and previous.kind != "furniture" and drafts
                and not any(p is previous for p in pending)):
            (current or drafts[-1]).boxes.extend(previous.boxes)  # (headings: when their article opens)
        if piece.kind == "text" and piece.heading_like and not pending:
            after_caption = previous is not None and previous.kind == "caption"
        if piece.kind == "furniture":
            _furniture_info(page, piece.lines[0])
            continue
        if piece.kind == "caption":
            target = current or (drafts[-1] if drafts else None)
            if target is None:
                pending.append(Piece("text", piece.lines))
            else:
                target.article.captions.append(piece.text)
            continue
        if piece.kind == "continued_from":
            take_section()
            current = new_article(pending)
            pending = []
            current.article.continuation = piece.lines[0]
            seen_content = True
            continue
        if piece.kind == "text" and piece.heading_like and BOX_LABEL.match(piece.text):
            # 核心阅读 / 内容提要 under a headline: a subhead opening that article's body
            take_section()
            if pending or current is None:
                current = new_article(pending)
                pending = []
            current.article.body.append(Block("subhead", _undecorated(piece.text)))
            seen_content = True
            continue
        # (text right under a dateline is the article's body, however short; so is a dashed
        # line under body text: the attribution of a quotation or a note, ——习近平 / ——编者)
        attribution = (not pending and current is not None and current.has_body
                       and piece.text.startswith(("—", "－")) and visual_width(piece.text) <= 12)
        if (piece.kind == "text" and piece.heading_like and not attribution
                and not (previous and previous.dateline and not pending)):
            pending.append(piece)
            continue
        if (piece.kind == "byline" and not piece.dateline and piece.byline and PHOTO_CREDIT.fullmatch(piece.byline)
                and not pending and current is not None and current.has_body and current.article.body[-1].kind == "p"
                and len(current.article.body[-1].text) <= CAPTION_MAX_CHARS and previous is not None
                and (last_body_piece is previous or previous.kind == "caption" or CAPTION_START.match(previous.text))):
            _caption_from_above(current.article, previous, last_body_piece)  # a photo credit on a line of its own
            continue
        if piece.kind == "byline":
            take_section()
            if pending or current is None or (current.has_body and piece.dateline):
                current = new_article(pending)
                pending = []
            article = current.article
            if piece.dateline and not article.dateline:
                article.dateline = piece.dateline
            if piece.byline:
                _add_byline(article, piece.byline)
                if current.has_body:
                    current.closed = True
            seen_content = True
            continue
        # body text
        text = piece.text
        if pending:
            take_section()
            # A heading with no byline/dateline after it is a subhead, unless the open
            # article was closed (trailing byline, 下转), a wider gap or a caption stands
            # before it, it reads as a headline (two lines, a dashed subtitle), no blank
            # line sets it off from the text below (on a page that sets paragraphs apart
            # with blank lines; on a tight page, when one sets it off from the text above),
            # or that text opens with a first-line indent that other paragraphs lack.
            if any(p.role for p in pending):  # the page's geometry says which it is
                opens = current is None or any(p.role != "subhead" for p in pending)
            else:
                opens = (current is None or current.closed or pending[0].wide_gap or after_caption
                         or not piece.blank_before and (set_apart or pending[0].blank_before)
                         or piece.marked_start or _headline_group(pending))
            if opens:
                current = new_article(pending)
            else:
                current.article.body.append(Block("subhead", _undecorated("".join(p.text for p in pending)),
                                                  bbox=_union([box for p in pending for box in p.boxes])))
                current.boxes.extend(box for p in pending for box in p.boxes)
            pending = []
        if current is None:
            current = new_article([])
        seen_content = True
        if CAPTION_START.match(text) and len(text) <= 80:
            current.article.captions.append(_caption_text(text))
            continue
        m = CONTINUED_TO.search(text)
        if m:
            current.article.continuation = current.article.continuation or m.group("note")
            text = text[: m.start()].rstrip()
            current.closed = True
        # spaces kept: they separate the names of a byline (but not those of spaced text)
        raw = join_spaced_characters("".join(piece.lines))
        m = PHOTO_CREDIT.search(raw)
        if m and 0 < m.start() <= CAPTION_MAX_CHARS:  # a caption with its credit (the credit is no text)
            current.article.captions.append(_caption_text(remove_layout_spaces(raw[: m.start()])))
            continue
        if _is_credit_line(text):
            _caption_from_above(current.article, previous, last_body_piece)
            continue
        m = TRAILING_DATELINE.search(raw)
        if m:  # （本报北京1月15日电） after the last paragraph: the article's dateline
            current.article.dateline = current.article.dateline or remove_layout_spaces(m.group("dateline"))
            raw = raw[: m.start()].rstrip()
            text = remove_layout_spaces(raw)
            current.closed = True
        m = trailing_byline(raw)
        if m:
            _add_byline(current.article, m.group("byline").strip())
            text = remove_layout_spaces(raw[: m.start()])
            current.closed = True
        if text:
            current.article.body.append(Block("p", text, bbox=_union(piece.boxes)))
            last_body_piece = piece

    # Heading-like blocks left at the end of the page have no body: they are captions.
    for piece in pending:
        if drafts:
            drafts[-1].article.captions.append(piece.text)
    if pieces and pieces[-1].boxes and drafts and not any(p is pieces[-1] for p in pending):
        (current or drafts[-1]).boxes.extend(pieces[-1].boxes)
    for n, draft in enumerate(drafts):
        draft.article.id = hashlib.sha1(f"{digest}:{n}".encode()).hexdigest()[:16]
        draft.article.bbox = _union(draft.boxes)
    page.articles = [d.article for d in drafts if d.article.body or d.article.headline]
    return page


def _furniture_info(page: Page, text: str) -> None:
    """Take the page number (``第3版`` / ``A03``), a section name printed beside it
    (``A03 要闻``) and the printed date from furniture lines."""
    m = re.search(rf"第([{_CN_NUM}]{{1,3}})版|^([A-Z]{{1,2}}\d{{1,2}})(?![\d])", text)
    if m and page.page is None:
        page.page = m.group(1) or m.group(2)
        name = (text[: m.start()] + text[m.end():]).strip(" |｜")
        if page.section is None and re.fullmatch(r"[\u4e00-\u9fff·]{2,8}", name):
            page.section = name
    m = _FURNITURE_DATE.search(text)
    if m and page.publication_date is None:
        year, month, day = (int(g) for g in m.groups())
        if 1 <= month <= 12 and 1 <= day <= 31:
            page.publication_date = f"{year:04d}-{month:02d}-{day:02d}"


def page_from_html(html_article, *, source: str) -> Page:
    """An online edition's article page (see :func:`newsnlp.read.parse_html`) -> Page."""
    from newsnlp.tidy import remove_mojibake, to_halfwidth

    paragraphs = [remove_layout_spaces(to_halfwidth(remove_mojibake(p))) for p in html_article.paragraphs]
    paragraphs = [p for p in paragraphs if p]
    article = Article(id="", headline=[headline_text(to_halfwidth(html_article.headline))] if html_article.headline else [],
                      subtitle=html_article.subtitle)
    if html_article.byline:
        article.byline = html_article.byline
        article.reporters = parse_reporters(html_article.byline)
    if paragraphs:
        dateline, byline, rest = _split_marker(paragraphs[0])
        if dateline or byline:
            article.dateline = dateline
            if byline:
                article.byline = byline
                article.reporters = parse_reporters(byline)
            paragraphs[0] = rest
    article.body = [Block("p", p) for p in paragraphs if p]
    digest = hashlib.sha1("\n".join([*article.headline, *paragraphs]).encode("utf-8")).hexdigest()
    article.id = hashlib.sha1(f"{digest}:0".encode()).hexdigest()[:16]
    return Page(source=source, articles=[article] if article.body or article.headline else [])
