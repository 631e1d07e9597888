"""Clean page lines -> articles.

Two passes, both driven by layout and language cues that hold for any paper:

1. :func:`assemble_blocks` rejoins hard-wrapped lines into blocks.  A line that
   fills its column and does not end a sentence continues on the next line, even
   across a blank line (a column break).  A short line, or a sentence end followed
   by a blank line, ends the block.  Datelines, bylines, page furniture, captions
   and continuation notes become marker blocks of their own.
2. :func:`split_page` groups blocks into articles: short unpunctuated blocks right
   before a byline/dateline (or before body text when no article is open) are the
   headline, kicker and subtitle; the same kind of block inside an article is a
   subhead.
"""
from __future__ import annotations

import bisect
import hashlib
import re
from dataclasses import dataclass, field

from newsnlp.model import Article, Block, Page
from newsnlp.tidy import Line, headline_text, is_terminal, join_lines, remove_layout_spaces, visual_width

_CN_NUM = "0-9一二三四五六七八九十〇零两"
_MARKS = "□■◇◆●○▲△★☆▼◎【】〓"
# Datelines: 本报讯, 本报郑州1月3日电, 新华社北京12月31日电, 中新网3月2日电, 据XX报道 is not one.
DATELINE = re.compile(
    rf"^[{_MARKS}\s]*(?P<dateline>本报讯|据?(?:本报|新华社|中新社|[\u4e00-\u9fff]{{2,6}}(?:社|网|报|台|电视台|广播电台))"
    rf"[\u4e00-\u9fff]{{0,10}}?\s*(?P<date>[{_CN_NUM}]{{1,3}}\s*月\s*[{_CN_NUM}]{{1,3}}\s*日)?\s*(?:讯|电))"
)
_ROLE = (r"(?:本报|新华社)?(?:驻[\u4e00-\u9fff]{1,8}?)?(?:特派|特约|见习|实习)?(?:记者|通讯员|实习生|摄影记者|摄影|撰稿|编辑)"
         r"|文/图|图/文|文图|文|图")
# A byline in brackets: （记者 张三 通讯员 李四） / (本报记者 张三) / （记者 张三 文/图）
BRACKET_BYLINE = re.compile(rf"^\s*[（(](?P<byline>\s*(?:{_ROLE})[^（）()]{{1,40}}?)[）)]")
_NAMES = r"[\u4e00-\u9fff·]{2,4}(?:\s*[\s、]\s*[\u4e00-\u9fff·]{2,4}){0,4}"
# After a dateline: 记者 张三 李四报道：
REPORTED_BY = re.compile(rf"^\s*(?P<byline>(?:{_ROLE})\s*{_NAMES})\s*报道\s*[:：]")
BRACKET_NAMES = re.compile(rf"^\s*[（(]\s*(?P<byline>{_NAMES})\s*[）)]")
# □辽宁东港市 刘学春: a marked line of a place and a name
MARKED_BYLINE = re.compile(rf"^[{_MARKS}]\s*(?P<byline>[\u4e00-\u9fff]{{2,10}}\s+[\u4e00-\u9fff·]{{2,4}}|[\u4e00-\u9fff·]{{2,3}})\s*$")
TRAILING_BYLINE = re.compile(rf"[（(](?P<byline>\s*(?:{_ROLE})[^（）()。，]{{1,40}}?)[）)]\s*$")
# After a sentence end: （马维平） / （张三 李四） / （据新华社电） / （本报综合）
_CREDIT = r"据?[\u4e00-\u9fff]{2,8}(?:社|报|网|台)(?:电|讯|消息)?|本报综合|综合报道"
TRAILING_NAMES = re.compile(
    rf"(?<=[。！？!?”’])\s*[（(](?P<byline>[\u4e00-\u9fff·]{{2,4}}(?:[\s、][\u4e00-\u9fff·]{{2,4}}){{0,3}}|{_CREDIT})[）)]\s*$"
)
_NOT_BYLINE = {"待续", "续完", "未完", "全文完", "完", "上", "下", "续"}


# A byline on a line of its own: □记者 张三 / 本报记者 张三 李四 / 文/图 张三 / 记者 张三 摄
BYLINE_LINE = re.compile(rf"^[{_MARKS}\s]*(?P<byline>(?:{_ROLE})[\s:：]*[\u4e00-\u9fff·]{{2,4}}(?:[\s、,，]+(?:(?:{_ROLE})[\s:：]*)?[\u4e00-\u9fff·]{{2,4}})*(?:\s*(?:摄影?|报道|文/图|图/文))?)\s*$")
CONTINUED_FROM = re.compile(rf"^[（(]?\s*(?P<note>上接第?[{_CN_NUM}A-Z]+版)\s*[）)]?")
CONTINUED_TO = re.compile(rf"[（(]?\s*(?P<note>下转第?[{_CN_NUM}A-Z]+版)\s*[）)]?\s*$")
# A bulleted or numbered item starts a paragraph: ●… / 一、… / （1）… / 2.…
LIST_ITEM = re.compile(r"^(?:[●○◆◇■•▲△★☆]|[一二三四五六七八九十]{1,3}、|[（(][一二三四五六七八九十\d]{1,3}[）)]|\d{1,2}[、.．](?!\d))")
# Labelled paragraphs that always start afresh, even under an unfinished line.
LEAD_LABEL = re.compile(r"^(?:编者按|编者的话|编后|记者手记|相关链接|链接|背景资料)[:：]")
CAPTION_START = re.compile(r"^[▲△（(]?\s*(?:图为|上图|下图|左图|右图|图片说明|图[:：])|^(?:资料图片|新华社发|新华社记者\S{2,4}摄)$")
# Page furniture: page numbers, editor/proof lines, the paper's name and date line.
FURNITURE = [
    re.compile(rf"^第?[{_CN_NUM}]{{1,3}}版$|^[A-Z]{{1,2}}\d{{1,2}}(?:版)?$|^\d{{1,2}}$"),
    re.compile(rf"^(?:第[{_CN_NUM}]{{1,3}}版|[A-Z]{{1,2}}\d{{1,2}})\s*[\u4e00-\u9fff·]{{2,8}}$|^[\u4e00-\u9fff·]{{2,8}}\s*(?:第[{_CN_NUM}]{{1,3}}版|[A-Z]{{1,2}}\d{{1,2}})$"),
    # editor/proof lines (a phone or e-mail alone may be an article's own last line)
    re.compile(r"(?:本版|责任)?编辑[:：\s]|责编[:：\s]|美编[:：\s]|校对[:：\s]|组版[:：\s]|版式[:：\s]|排版[:：\s]"),
    re.compile(r"^(?:本版|新闻|报料|热线)?(?:电话|E-?mail|邮箱)[:：].*(?:版|编辑)|版.*(?:电话|E-?mail|邮箱)[:：]"),
    re.compile(rf"\d{{4}}(?:年|[.\-/])\d{{1,2}}(?:月|[.\-/])\d{{1,2}}日?.{{0,6}}(?:星期|周)[一二三四五六日天]|(?:星期|周)[一二三四五六日天].{{0,6}}\d{{4}}年"),
]
_SENTENCE_PUNCT = re.compile(r"[，。；：,;]")
_PROSE_PUNCT = re.compile(r"[，。；：、,;]")  # a block with any of these reads as prose, not a heading
_FURNITURE_DATE = re.compile(r"((?:19|20)\d\d)(?:年|[.\-/])(\d{1,2})(?:月|[.\-/])(\d{1,2})")


def trailing_byline(text: str) -> re.Match | None:
    """A byline closing an article's last paragraph: （记者 张三） or, after a sentence end, （张三）."""
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
    wide_gap: bool = False  # two or more blank lines before it: a wider break than a column's
    dateline: str | None = None
    byline: str | None = None

    @property
    def text(self) -> str:
        return join_lines(self.lines)

    @property
    def heading_like(self) -> bool:
        """Short, unpunctuated text: a headline, kicker, subtitle or subhead."""
        if self.kind != "text" or self.run_in or len(self.lines) > 3:
            return False
        text = self.text
        if not text or visual_width(text) > 48 or re.search(r"[。；;]", text) or trailing_byline(text):
            return False
        if text[-1] in "，、,":
            return False
        inner = re.findall("[，,：:]", text)  # headlines may have one: 珀斯，留下问号 / 南京：给特困户解决困难
        if inner and (len(inner) > 1 or len(self.lines) > 2 or visual_width(text) > 24):
            return False
        return not is_terminal(text) or (text[-1] in "！？!?" and visual_width(text) <= 24)


def _column_widths(lines: list[Line]) -> list[float]:
    """For each line, the width of a full line of its column (a high percentile of the
    widths of the nearest lines)."""
    widths = [visual_width(line.text) for line in lines]
    present = sorted(w for w in widths if w > 0)
    if not present:
        return widths
    # Short lines (paragraph ends, headings) say nothing about the column's width.
    floor = 0.6 * present[int(0.75 * (len(present) - 1))]
    idx = [i for i, w in enumerate(widths) if w >= floor] or [i for i, w in enumerate(widths) if w > 0]
    result = [0.0] * len(lines)
    for i, w in enumerate(widths):
        if w:
            pos = bisect.bisect_left(idx, i)
            window = sorted(widths[j] for j in idx[max(0, pos - 6): pos + 7])
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
                continue
        if _DATELINE_START.match(text) and not DATELINE.match(text):
            j = next((k for k in range(i + 1, min(i + 3, len(out))) if out[k].text), None)
            if j is not None:
                m = DATELINE.match(text + out[j].text)
                if m and m.group("date") and m.start("date") < len(text) < m.end():
                    text = text + out[j].text
                    out[i] = Line(text, indented=line.indented)
                    out[j] = Line("")
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
    return out


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
    if 0 < cut < len(current.lines) and is_terminal(current.lines[cut - 1]):
        pieces.append(Piece("text", current.lines[:cut], blank_before=current.blank_before, run_in=current.run_in,
                            wide_gap=current.wide_gap))
        current.lines = current.lines[cut:]
        current.blank_before, current.run_in, current.wide_gap = False, False, False


def _indent_marks_paragraphs(lines: list[Line], widths: list[float]) -> bool:
    """True when most lines that clearly start a paragraph (after a short sentence end)
    are indented: then an unindented line never starts one."""
    starts = indented = 0
    prev: Line | None = None
    for line, width in zip(lines, widths):
        if not line.text:
            continue
        if prev is not None and is_terminal(prev.text) and visual_width(prev.text) < width - 4:
            starts += 1
            indented += line.indented
        prev = line
    return starts >= 3 and indented >= 0.6 * starts


def _lone_heading_line(lines: list[Line], i: int, column_width: float) -> bool:
    """True when line ``i`` stands alone between blank lines and reads like a short heading."""
    alone = (i + 1 >= len(lines) or not lines[i + 1].text) and (i == 0 or not lines[i - 1].text)
    text = lines[i].text
    return (alone and visual_width(text) < column_width - 1.5
            and not is_terminal(text) and not _SENTENCE_PUNCT.search(text))


def assemble_blocks(lines: list[Line]) -> list[Piece]:
    """Rejoin hard-wrapped lines into pieces (see the module docstring)."""
    lines = _close_brackets(lines)
    widths = _column_widths(lines)
    # Indentation marks paragraph starts, unless the extraction indents every line.
    text_lines = [line for line in lines if line.text]
    use_indent = sum(line.indented for line in text_lines) <= 0.5 * len(text_lines)
    indent_marks_paragraphs = use_indent and _indent_marks_paragraphs(lines, widths)
    pieces: list[Piece] = []
    current: Piece | None = None
    prev_full = False  # the previous text line filled its column (or was a run-in remainder)
    prev_terminal = True  # the page starts like a paragraph would
    prev_wide = prev_wider = False
    blank = False
    blanks = 0

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
            blank = False
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
        if dateline or byline:
            _detach_heading_tail(current, pieces)
            flush()
            pieces.append(Piece("byline", [text], blank_before=blank, dateline=dateline, byline=byline))
            blank = False
            if not rest:
                prev_full, prev_terminal = False, True
                continue
            text, run_in = rest, True
        width = visual_width(text)
        terminal = is_terminal(text) or trailing_byline(text) is not None
        indented = use_indent and line.indented and not run_in
        item = prev_terminal and LIST_ITEM.match(text) is not None or LEAD_LABEL.match(text) is not None
        if current is not None and (_PHRASE_GAP.search(current.lines[-1]) or _PHRASE_GAP.search(text)):
            item = True  # a line with a gap between two phrases is a headline line, not prose
        if current is not None and (indented or item or blank and CAPTION_START.match(text)):
            flush()
        if current is not None:
            # A paragraph never ends mid-sentence: once a block reads as prose, it goes on
            # until a sentence end.  Otherwise a full line continues; across a blank line
            # (a column break) only mid-sentence and not into a lone short heading line.
            prose = _PROSE_PUNCT.search(" ".join(current.lines)) is not None
            continues = (prev_full or prose) and not prev_terminal
            if blank and current.lines[-1].endswith(("：", ":")):
                continues = False  # 如下： then a blank line: the list or quote starts afresh
            if blank:
                # On a page that indents its paragraphs, an unindented line of prose after a
                # full line is the same paragraph going on in the next column.
                column_break = indent_marks_paragraphs and prev_full and not indented and (
                    _SENTENCE_PUNCT.search(text) or terminal or width >= widths[i] - 1.5)
                joins = (continues or column_break) and not prev_wide and not _lone_heading_line(lines, i, widths[i])
            else:
                joins = (prev_full or continues) and not (prev_wider and not prose)
            if not joins:
                flush()
        # The first line of a paragraph is indented by about two characters; a line right
        # under an unfinished heading line is that heading's second line, not indented.
        indent = 3.0 if current is None and (prev_terminal or run_in or blank or indented) else 0.0
        full = run_in or width >= widths[i] - 1.5 - indent
        if current is None:
            current = Piece("text", [], blank_before=blank, run_in=run_in, wide_gap=gap >= 1)
        current.lines.append(text)
        # A bracketed byline can wrap: …水晶塔。（董振 / 国）
        terminal = terminal or trailing_byline("".join(current.lines[-2:])) is not None
        prev_full, prev_terminal = full, terminal
        prev_wide = width > widths[i] * 1.2 + 1
        prev_wider = width > widths[i] + 2  # wider than the column: a headline across columns
        blank = False
    flush()
    return pieces


_ROLE_PREFIX = re.compile(rf"^(?:{_ROLE})(?=[\u4e00-\u9fff])")
_ROLE_WORD = re.compile(rf"^(?:{_ROLE}|摄影?|报道|供图)$")


def parse_reporters(byline: str | None) -> list[str]:
    """Names in a byline: ``记者 张三 通讯员 李四`` -> [张三, 李四]; roles and credits dropped."""
    if not byline:
        return []
    names = []
    for token in re.split(r"[\s、,，:：]+", byline.strip()):
        token = token.strip("·")
        if not token or _ROLE_WORD.match(token) or re.fullmatch(_CREDIT, token):
            continue
        token = re.sub(r"(?:摄影?|报道)$", "", _ROLE_PREFIX.sub("", token))
        if 2 <= len(token) <= 4 and all("\u4e00" <= ch <= "\u9fff" or ch == "·" for ch in token):
            names.append(token)
    return names


def _add_byline(article: Article, byline: str) -> None:
    """Append a byline (an article may have a leading and a trailing one) and its names."""
    article.byline = f"{article.byline} {byline}" if article.byline else byline
    article.reporters.extend(n for n in parse_reporters(byline) if n not in article.reporters)


def _page_digest(pieces: list[Piece]) -> str:
    h = hashlib.sha1()
    for p in pieces:
        h.update("\n".join(p.lines).encode("utf-8"))
    return h.hexdigest()


@dataclass
class _Draft:
    article: Article
    closed: bool = False  # a trailing byline or 下转 note ended it

    @property
    def has_body(self) -> bool:
        return bool(self.article.body)


def _heading_parts(group: list[Piece]) -> tuple[str | None, list[str], str | None]:
    """Headline group -> (kicker, headline lines, subtitle).

    Blocks are grouped into chunks by blank lines.  The first chunk is the headline,
    unless it is one very short line with more chunks after it (a column kicker).
    Later chunks, and chunks starting with a dash, are the subtitle.
    """
    chunks: list[list[str]] = []
    for piece in group:
        if piece.blank_before or not chunks:
            chunks.append([])
        chunks[-1].extend(headline_text(line) for line in piece.lines)
    kicker = None
    if len(chunks) > 1 and len(chunks[0]) == 1 and visual_width(chunks[0][0]) <= 6:
        kicker = chunks.pop(0)[0]
    subtitle_lines = [ln for ch in chunks[1:] for ln in ch]
    headline = chunks[0]
    while len(headline) > 1 and headline[-1].startswith(("—", "－")):
        subtitle_lines.insert(0, headline.pop())
    subtitle = "".join(ln.lstrip("—－ ") for ln in subtitle_lines) or None
    return kicker, headline, subtitle


def split_page(lines: list[Line], *, source: str = "<text>") -> Page:
    """Group a page's clean lines into articles."""
    pieces = assemble_blocks(lines)
    digest = _page_digest(pieces)
    page = Page(source=source)
    drafts: list[_Draft] = []
    pending: list[Piece] = []
    current: _Draft | None = None
    seen_content = False

    def new_article(heading: list[Piece]) -> _Draft:
        kicker, headline, subtitle = _heading_parts(heading) if heading else (None, [], None)
        draft = _Draft(Article(id="", headline=headline, kicker=kicker, subtitle=subtitle))
        drafts.append(draft)
        return draft

    def take_section() -> None:
        """A short first line of the page above a headline group is the section name."""
        nonlocal pending
        if page.section is None and not seen_content and len(pending) > 1:
            first = pending[0]
            if len(first.lines) == 1 and visual_width(first.text) <= 8 and pending[1].blank_before:
                page.section = first.text
                pending = pending[1:]

    for piece in pieces:
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
        if piece.kind == "text" and piece.heading_like:
            pending.append(piece)
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
            # article was closed (trailing byline, 下转) or a wider gap stands before it.
            if current is None or current.closed or pending[0].wide_gap:
                current = new_article(pending)
            else:
                current.article.body.append(Block("subhead", "".join(p.text for p in pending)))
            pending = []
        if current is None:
            current = new_article([])
        seen_content = True
        if CAPTION_START.match(text) and len(text) <= 80:
            current.article.captions.append(text)
            continue
        m = CONTINUED_TO.search(text)
        if m:
            current.article.continuation = current.article.continuation or m.group("note")
            text = text[: m.start()].rstrip()
            current.closed = True
        raw = "".join(piece.lines)  # spaces kept: they separate the names of a byline
        m = trailing_byline(raw)
        if m:
            _add_byline(current.article, m.group("byline").strip())
            text = remove_layout_spaces(raw[: m.start()])
            current.closed = True
        if text:
            current.article.body.append(Block("p", text))

    # Heading-like blocks left at the end of the page have no body: they are captions.
    for piece in pending:
        if drafts:
            drafts[-1].article.captions.append(piece.text)
    for n, draft in enumerate(drafts):
        draft.article.id = hashlib.sha1(f"{digest}:{n}".encode()).hexdigest()[:16]
    page.articles = [d.article for d in drafts if d.article.body or d.article.headline]
    return page


def _furniture_info(page: Page, text: str) -> None:
    """Take the page number (``第3版`` / ``A03``), a section name printed beside it
    (``A03 要闻``) and the printed date from furniture lines."""
    m = re.search(rf"第([{_CN_NUM}]{{1,3}})版|^([A-Z]{{1,2}}\d{{1,2}})(?![\d])", text)
    if m and page.page is None:
        page.page = m.group(1) or m.group(2)
        name = (text[: m.start()] + text[m.end():]).strip()
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
