"""Pages with geometry -> lines in reading order, each with its role on the page.

The readers of PDF pages (:mod:`newsnlp.pdf`) and of OCR output (:mod:`newsnlp.ocr`)
give a :class:`PageLayout`: text lines with their boxes and type sizes, and the rules
and pictures drawn on the page.  This module does what a text page leaves the splitter
to guess:

1. **blocks**: lines stacked in one column, of one type size and weight, with no rule
   between them;
2. **reading order**: recursive XY-cut over the blocks (columns left to right where a
   gutter runs the height of a region, else bands top to bottom, cutting at rules and
   wide gaps);
3. **roles** from type size relative to the page's body type: headline (much larger),
   kicker above it and subtitle below it (larger than body, or a dashed line), subhead
   (larger or bold, between paragraphs), caption (under a picture), furniture (above
   the page's head rule);
4. **paragraph starts** from first-line indents, wider line gaps and short last lines;
   a paragraph that runs on from the foot of one column to the head of the next is
   one paragraph.

The result is a list of :class:`newsnlp.tidy.Line` with ``role``, ``indented`` (a
paragraph starts here) and ``bbox`` set, for :func:`newsnlp.split.split_page`.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from newsnlp.split import BOX_LABEL, HEADING_ROLES, SENTENCE_END_INSIDE
from newsnlp.tidy import Line, TERMINAL

Box = tuple[float, float, float, float]  # x0, top, x1, bottom; page points, y downwards

HEADLINE_RATIO = 1.3  # type this much larger than the body's: a headline
DECK_RATIO = 1.08  # larger than body type by this: kicker, subtitle or subhead
SMALL_RATIO = 0.93  # smaller than body type by this: caption, credit or note
BAND_GAP = 1.5  # white space this many body ems high across a whole region parts bands of the page
TOP_BAND = 0.06  # furniture sits in this share of the page's height at its top (when no head rule shows it)


@dataclass
class TextLine:
    """One printed line (or a fragment of one, in its column) with its geometry."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # type size in points (OCR: the x-height scaled, or the line's height)
    bold: bool = False

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass
class PageLayout:
    """What a reader gives for one page: its size, its lines, its rules and pictures."""

    width: float
    height: float
    lines: list[TextLine]
    rules: list[Box] = field(default_factory=list)  # drawn lines and box edges
    images: list[Box] = field(default_factory=list)  # pictures and filled rectangles
    number: int = 1  # the page's place in its file, from 1
    exact_sizes: bool = True  # type sizes from a PDF's fonts; OCR estimates them from line heights


@dataclass
class _Block:
    lines: list[TextLine]
    role: str = "body"
    under_picture: bool = False  # the first paragraph right under a picture, split off its text

    @property
    def x0(self) -> float:
        return min(ln.x0 for ln in self.lines)

    @property
    def x1(self) -> float:
        return max(ln.x1 for ln in self.lines)

    @property
    def right(self) -> float:
        """The column's right edge: where most of its lines end (a stray glyph past it, or a
        short last line, does not move it)."""
        if len(self.lines) < 3:
            return self.x1
        ends = sorted(ln.x1 for ln in self.lines)
        return ends[len(ends) // 2]

    @property
    def top(self) -> float:
        return self.lines[0].top

    @property
    def bottom(self) -> float:
        return self.lines[-1].bottom

    @property
    def size(self) -> float:
        return self.lines[0].size

    @property
    def bold(self) -> bool:
        return self.lines[0].bold

    @property
    def text(self) -> str:
        return "".join(ln.text for ln in self.lines)


def body_size(lines: list[TextLine]) -> float:
    """The page's body type size: the size most characters are printed in."""
    counts: Counter[float] = Counter()
    for ln in lines:
        counts[round(ln.size * 2) / 2] += len(ln.text)
    return counts.most_common(1)[0][0] if counts else 10.0


def _same_type(a: TextLine, b: TextLine, tolerance: float) -> bool:
    return abs(a.size - b.size) <= tolerance * max(a.size, b.size) and a.bold == b.bold


def _rule_between(rules: list[Box], x0: float, x1: float, top: float, bottom: float) -> bool:
    """A horizontal rule across [x0, x1] lying between the heights top and bottom."""
    for rx0, rtop, rx1, rbottom in rules:
        if rx1 - rx0 > rbottom - rtop and top - 1 <= (rtop + rbottom) / 2 <= bottom + 1:
            if min(x1, rx1) - max(x0, rx0) > 0.3 * (x1 - x0):
                return True
    return False


def group_blocks(lines: list[TextLine], rules: list[Box], tolerance: float = 0.05) -> list[_Block]:
    """Stack lines into blocks: one column, one type, close below each other, no rule between.
    ``tolerance``: relative difference of type sizes still taken as one type."""
    blocks: list[_Block] = []
    open_blocks: list[_Block] = []
    for ln in sorted(lines, key=lambda x: (x.top, x.x0)):
        best, best_gap = None, None
        for block in open_blocks:
            last = block.lines[-1]
            gap = ln.top - last.bottom
            if gap < -0.3 * ln.size or gap > 1.2 * ln.size or not _same_type(last, ln, tolerance):
                continue
            overlap = min(ln.x1, block.x1) - max(ln.x0, block.x0)
            if overlap < 0.5 * min(ln.x1 - ln.x0, block.x1 - block.x0):
                continue
            # starting left of the block: another column or box, unless the block so far is
            # one line set in by a paragraph indent
            slack = 3.5 if len(block.lines) == 1 else 0.6
            centred = abs((ln.x0 + ln.x1) - (block.x0 + block.x1)) / 2 <= ln.size  # a centred heading's lines
            if ln.x0 < block.x0 - slack * ln.size and not centred:
                continue
            if _rule_between(rules, ln.x0, ln.x1, last.bottom, ln.top):
                continue
            if len(block.lines) == 1 and last.text.startswith(("——", "－－")):
                continue  # a dashed line (a subtitle, an attribution) stands alone
            if best_gap is None or gap < best_gap:
                best, best_gap = block, gap
        if best is None:
            best = _Block([ln])
            blocks.append(best)
            open_blocks.append(best)
        else:
            best.lines.append(ln)
        # a block far above the current line can no longer grow
        open_blocks = [b for b in open_blocks if ln.top - b.bottom <= 2 * ln.size]
    return blocks


def _gaps(spans: list[tuple[float, float]], min_gap: float) -> list[float]:
    """Cut positions between intervals where a gap of at least ``min_gap`` opens."""
    cuts: list[float] = []
    spans = sorted(spans)
    if not spans:
        return cuts
    reach = spans[0][1]
    for start, end in spans[1:]:
        if start - reach >= min_gap:
            cuts.append((reach + start) / 2)
        reach = max(reach, end)
    return cuts


def _rule_cuts(rules: list[Box], blocks: list[_Block]) -> list[float]:
    """Heights of horizontal rules that run across the whole region of ``blocks``."""
    x0, x1 = min(b.x0 for b in blocks), max(b.x1 for b in blocks)
    top, bottom = min(b.top for b in blocks), max(b.bottom for b in blocks)
    cuts = []
    for rx0, rtop, rx1, rbottom in rules:
        mid = (rtop + rbottom) / 2
        if rx1 - rx0 > rbottom - rtop and top < mid < bottom and rx0 <= x0 + 2 and rx1 >= x1 - 2:
            if not any(b.top < mid < b.bottom for b in blocks):
                cuts.append(mid)
    return cuts


def _split_at(blocks: list[_Block], cuts: list[float], vertical: bool) -> list[list[_Block]]:
    groups: list[list[_Block]] = [[] for _ in range(len(cuts) + 1)]
    for b in blocks:
        centre = (b.x0 + b.x1) / 2 if vertical else (b.top + b.bottom) / 2
        groups[sum(centre > c for c in cuts)].append(b)
    return [g for g in groups if g]


def _band_cuts(blocks: list[_Block], body: float) -> list[float]:
    """Wide white space across the region with text across most of its width on both sides
    (bands of a page); not the foot of a short column beside a long one."""
    x0, x1 = min(b.x0 for b in blocks), max(b.x1 for b in blocks)
    cuts = []
    for cut in _gaps([(b.top, b.bottom) for b in blocks], BAND_GAP * body):
        above = [b for b in blocks if b.bottom <= cut]
        below = [b for b in blocks if b.top >= cut]
        if all(max(b.x1 for b in side) - min(b.x0 for b in side) >= 0.7 * (x1 - x0) for side in (above, below)):
            cuts.append(cut)
        elif _cut_off_above(above, below, body):
            cuts.append(cut)  # the text above stops mid-sentence: it goes on beside, not below
    return cuts


def _cut_off_above(above: list[_Block], below: list[_Block], body: float) -> bool:
    """Whether the text right above the text below a gap stops mid-sentence at its column's
    edge: then it goes on at the head of the next column, and the gap ends a band."""
    lx0, lx1 = min(b.x0 for b in below), max(b.x1 for b in below)
    over = [b for b in above if min(b.x1, lx1) - max(b.x0, lx0) > 0.5 * (b.x1 - b.x0)]
    if not over:
        return False
    last = max(over, key=lambda b: b.bottom)
    return _is_body(last, body) and _ends_open(last)


def _heading_cut(blocks: list[_Block], body: float) -> list[float]:
    """The gap right across the region just above its first lines of text, when everything
    above it is a heading (a headline with its kicker, subtitle and byline; a byline may be
    set in body type, one short line) and not two headings side by side."""
    width = max(b.x1 for b in blocks) - min(b.x0 for b in blocks)

    def text_block(b: _Block) -> bool:
        return _is_body(b, body) and (len(b.lines) > 1 or b.x1 - b.x0 > 0.6 * width)

    tops = [b.top for b in blocks if text_block(b)]
    gaps = [g for g in _gaps([(b.top, b.bottom) for b in blocks], 0.3 * body) if tops and g <= min(tops)]
    if not gaps:
        return []
    above = [b for b in blocks if b.bottom <= gaps[-1]]
    heads = [b for b in above if b.size >= DECK_RATIO * body]
    near = [b for b in above if b.bottom >= gaps[-1] - 4 * body]
    if heads and not any(text_block(b) for b in above) and not _gaps([(b.x0, b.x1) for b in near], 0.4 * body):
        return gaps[-1:]
    return []


def reading_order(blocks: list[_Block], rules: list[Box], body: float) -> list[_Block]:
    """Recursive XY-cut: bands at rules drawn across the whole region, else columns where a
    gutter runs through it, else bands at wide gaps."""
    if len(blocks) <= 1:
        return list(blocks)
    cuts = sorted(_rule_cuts(rules, blocks))
    if not cuts:  # white space right across the region, wider than any paragraph gap: bands
        cuts = _band_cuts(blocks, body)
    if not cuts:  # a headline (and its decks) over the region's columns, however narrow
        cuts = _heading_cut(blocks, body)
    if cuts:
        groups = _split_at(blocks, cuts, vertical=False)
    else:
        cuts = _gaps([(b.x0, b.x1) for b in blocks], 0.4 * body)
        if cuts:
            groups = _split_at(blocks, cuts, vertical=True)
        else:
            cuts = _gaps([(b.top, b.bottom) for b in blocks], 0.3 * body)
            groups = _split_at(blocks, cuts, vertical=False) if cuts else [blocks]
    if len(groups) == 1:
        return sorted(blocks, key=lambda b: (b.top, b.x0))
    return [b for g in groups for b in reading_order(g, rules, body)]


def _is_body(block: _Block, body: float) -> bool:
    return abs(block.size - body) <= 0.1 * body and not block.bold


def _ends_open(block: _Block) -> bool:
    """Its last line runs to the block's edge without ending a sentence: the text goes on."""
    if len(block.lines) < 2:
        return False
    line = block.lines[-1]
    # (a trailing byline in brackets closes the text too: ……。（记者 张三）; so does an attribution: ——编者)
    return (line.x1 >= block.right - 1.2 * line.size and not TERMINAL.search(line.text)
            and not line.text.endswith(("）", ")")) and not re.search(r"——[\u4e00-\u9fff·]{1,8}$", line.text))


def _heading_at(blocks: list[_Block], k: int, body: float) -> bool:
    """Block ``k`` opens an article: a heading, or a short line (a kicker) right over a headline."""
    b = blocks[k]
    if b.size >= HEADLINE_RATIO * body:
        return True
    return (len(b.lines) <= 2 and k + 1 < len(blocks) and blocks[k + 1].size >= HEADLINE_RATIO * body
            and not SENTENCE_END_INSIDE.search(b.text))


def _orphan(before: _Block, block: _Block) -> bool:
    """Text that opens unindented right after a paragraph that ended: it runs on from
    somewhere else (the foot of another article's column), not from ``before``."""
    last, first = before.lines[-1], block.lines[0]
    ended = TERMINAL.search(last.text) is not None and last.x1 < before.right - 1.2 * last.size
    return ended and first.x0 < block.x0 + 1.2 * first.size and len(block.lines) > 1 and (
        block.lines[1].x0 < first.x0 + 0.5 * first.size)


def follow_cut_off_text(blocks: list[_Block], body: float) -> list[_Block]:
    """Text cut off mid-sentence where an article's module ends (the next block in reading
    order is a heading) goes on at the head of a column to its right: move that column's
    run of body text (up to its next heading) to right after it.  XY-cut alone reads a
    two-column module as two columns of the page when nothing spans its gutter."""
    blocks = list(blocks)
    for _ in range(len(blocks)):
        moved = False
        for i, b in enumerate(blocks[:-1]):
            if not (_is_body(b, body) and _ends_open(b)) or not _heading_at(blocks, i + 1, body):
                continue
            best = None
            for j, c in enumerate(blocks):
                if j <= i + 1 or not _is_body(c, body) or c.x0 < b.x1 or c.top > b.bottom:
                    continue
                before = blocks[j - 1]
                # (text cut off at the foot of the column, below b's article, gives way to b: b's
                # article began first, so it goes on first at the head of the next column)
                gives_way = j - 1 > i and before.top > b.bottom and before.x0 < c.x0
                if (_is_body(before, body) and _ends_open(before) and not gives_way
                        or c.lines[0].x0 >= c.x0 + 1.2 * c.size or before.size >= DECK_RATIO * body):
                    continue  # it goes on from the block before it, opens a paragraph or an article
                if best is None or c.x0 < blocks[best].x0 or c.x0 == blocks[best].x0 and c.top < blocks[best].top:
                    best = j
            if best is None:
                continue
            end = best + 1
            while (end < len(blocks) and _is_body(blocks[end], body) and abs(blocks[end].x0 - blocks[best].x0) <= 2 * body
                   and not _orphan(blocks[end - 1], blocks[end])):
                end += 1
            run = blocks[best:end]
            del blocks[best:end]
            blocks[i + 1:i + 1] = run
            moved = True
            break
        if not moved:
            break
    return blocks


def _near_picture(block: _Block, images: list[Box], body: float) -> bool:
    """Printed right under a picture, within its width: a caption."""
    for ix0, itop, ix1, ibottom in images:
        overlap = min(block.x1, ix1) - max(block.x0, ix0)
        if overlap > 0.5 * (block.x1 - block.x0) and -0.5 * body <= block.top - ibottom <= 1.5 * body:
            return True  # (text right above a picture is the column running on to it)
    return False


def _furniture_line(page: PageLayout, blocks: list[_Block]) -> float:
    """Height of the page's head rule: the topmost rule across most of the page near its
    top, with no running text above it; else 0."""
    wide = sorted(r[3] for r in page.rules if r[2] - r[0] >= 0.6 * page.width and r[3] <= 0.15 * page.height)
    if not wide:
        return 0.0
    above = [b for b in blocks if b.bottom <= wide[0]]
    if any(len(b.lines) > 4 or len(b.lines) > 1 and SENTENCE_END_INSIDE.search(b.text) for b in above):
        return 0.0  # running text above it: an article's rule, not the page's head rule
    return wide[0]


def assign_roles(blocks: list[_Block], page: PageLayout, body: float) -> None:
    """Give each block (in reading order) its role from type size, weight and placement."""
    head_rule = _furniture_line(page, blocks)
    first_headline = min((b.top for b in blocks if b.size >= HEADLINE_RATIO * body), default=page.height)
    for b in blocks:
        ratio = b.size / body
        if head_rule and b.bottom <= head_rule or (
                not head_rule and b.bottom <= TOP_BAND * page.height and b.bottom <= first_headline
                and ratio < DECK_RATIO and len(b.lines) <= 2):
            b.role = "furniture"
        elif ratio >= HEADLINE_RATIO:
            b.role = "headline"
        elif b.under_picture or _near_picture(b, page.images, body) and (ratio < 0.97 or len(b.lines) <= 2):
            # (text in body type under a picture may be the column running on: only a line or two
            # of it is taken for a caption)
            b.role = "caption"
        elif (ratio >= DECK_RATIO or b.bold and ratio >= SMALL_RATIO) and not (
                len(b.lines) > 6 or len(b.lines) > 1 and SENTENCE_END_INSIDE.search(b.text)):
            b.role = "deck"  # kicker, subtitle or subhead: decided by its neighbours below
        elif ratio >= DECK_RATIO:
            b.role = "body"  # running text in larger type (a lead article's): no heading reads so
        elif ratio <= SMALL_RATIO:
            b.role = "small"
        else:
            b.role = "body"
    _decks_of_headlines(blocks)
    for i, b in enumerate(blocks):
        if (i and blocks[i - 1].role in ("headline", "subtitle", "deck", "deck_after", "deck_before") and _name_line(b)
                and (b.role in ("small", "body") or _CREDIT_WORD.search(b.text))):
            b.role = "byline"  # 张三 李四 in small type under the headline: the byline
            continue
        if b.role in ("deck", "deck_after", "deck_before") and BOX_LABEL.match(b.text.replace(" ", "")):
            b.role = "subhead"  # 核心阅读 under a headline opens a box of the article's text
        elif b.role == "deck_before":
            b.role = "kicker"
        elif b.role == "deck_after":
            b.role = "subtitle"
        elif b.role == "deck":
            after = next((x for x in blocks[i + 1:] if x.role not in ("furniture", "caption")), None)
            before = next((x for x in reversed(blocks[:i]) if x.role not in ("furniture", "caption")), None)
            if after is not None and after.role == "headline":
                b.role = "kicker"
            elif before is not None and before.role in ("headline", "subtitle"):
                b.role = "subtitle"
            else:
                b.role = "subhead"
        elif b.role in ("body", "small") and b.text.lstrip().startswith(("——", "－－")) and i and \
                blocks[i - 1].role == "headline":
            b.role = "subtitle"  # a dashed line under the headline, at body size
        elif (b.role in ("small", "body") and len(b.lines) <= 2 and i + 1 < len(blocks)
              and blocks[i + 1].role == "headline" and 0 <= blocks[i + 1].top - b.bottom <= 1.5 * body
              and min(b.x1, blocks[i + 1].x1) - max(b.x0, blocks[i + 1].x0) > 0.5 * (b.x1 - b.x0)
              and not SENTENCE_END_INSIDE.search(b.text) and len(b.text) <= 48):
            b.role = "kicker"  # a line or two of body type right above a headline: its kicker
        elif b.role in ("small", "body") and len(b.lines) == 1 and _PHOTO_CREDIT_LINE.search(b.text):
            b.role = "credit"  # 记者 张三摄 on a line of its own: the credit of a picture
        elif b.role == "small":
            b.role = "body"  # bylines, credits, notes: their text says what they are


_PHOTO_CREDIT_LINE = re.compile(r"^.{0,24}(?:摄|摄影|供图)\s*(?:[（(][^（）()]{2,12}[）)])?$|^[（(]?新华社发")
_CREDIT_WORD = re.compile("记者|通讯员|实习生|特约|撰稿|摄影?")
_NAME_RUN = re.compile(r"^(?:[\u4e00-\u9fff·]{2,4}[ 、]*){1,6}$")


def _name_line(block: _Block) -> bool:
    """One short line of two-to-four-character words with no punctuation: names."""
    return len(block.lines) == 1 and len(block.text) <= 30 and _NAME_RUN.match(block.lines[0].text) is not None


def _decks_of_headlines(blocks: list[_Block]) -> None:
    """In a run of headline-sized blocks, the largest is the headline; clearly smaller ones
    before it are its kicker and after it its subtitle (a subtitle may be set larger than
    the page's deck size on a page of big type)."""
    i = 0
    while i < len(blocks):
        if blocks[i].role not in ("headline", "deck"):
            i += 1
            continue
        j = i
        while j < len(blocks) and blocks[j].role in ("headline", "deck"):
            j += 1
        run = blocks[i:j]
        biggest = max(run, key=lambda b: b.size)
        if biggest.role == "headline":
            k = run.index(biggest)
            for n, b in enumerate(run):
                if b.size < 0.85 * biggest.size:
                    b.role = "deck_before" if n < k else "deck_after"
        i = j


def _column_right(block: _Block, blocks: list[_Block], body: float) -> float:
    """Right edge of the column the block is set in: its own, when it has lines enough to show
    it, else that of the nearest block of three or more lines starting where it does."""
    if len(block.lines) >= 3:
        return block.right
    best, distance = block.x1, None
    for other in blocks:
        if other is block or other.role != "body" or len(other.lines) < 3 or abs(other.x0 - block.x0) > body:
            continue
        d = min(abs(other.top - block.bottom), abs(block.top - other.bottom))
        if distance is None or d < distance:
            best, distance = max(block.x1, other.right), d
    return best


def to_lines(blocks: list[_Block], body: float) -> list[Line]:
    """Blocks in reading order -> lines for the splitter, paragraph starts marked ``indented``."""
    out: list[Line] = []
    indents = sum(1 for b in blocks if b.role == "body"
                  for ln in b.lines if ln.x0 >= b.x0 + 1.2 * ln.size)
    page_indents = indents >= 2  # this page marks paragraph starts by indenting them
    gaps = [b.lines[k + 1].top - b.lines[k].bottom for b in blocks if b.role == "body" for k in range(len(b.lines) - 1)]
    leading = sorted(gaps)[len(gaps) // 2] if gaps else 0.3 * body
    prev_body_open = False  # the last body line seen ran to its column's edge without ending a sentence
    for b in blocks:
        right = _column_right(b, blocks, body) if b.role == "body" else b.x1
        for k, ln in enumerate(b.lines):
            box = (ln.x0, ln.top, ln.x1, ln.bottom)
            if b.role != "body":
                out.append(Line(ln.text, indented=k == 0, role=b.role, bbox=box))
                if b.role in HEADING_ROLES:
                    prev_body_open = False
                continue
            indented = ln.x0 >= b.x0 + 1.2 * ln.size
            if k == 0:
                # the head of a column: a new paragraph unless the last one ran on to here
                starts = indented or not (prev_body_open and (not page_indents or not indented))
            else:
                above = b.lines[k - 1]
                short_above = above.x1 < right - 1.2 * ln.size
                wide_gap = ln.top - above.bottom > leading + 0.2 * ln.size
                starts = indented or short_above or wide_gap
            out.append(Line(ln.text, indented=starts, role="body", bbox=box))
            # a full line runs on, unless it ends a sentence on a page that does not indent
            # (on an indenting page the next column's indent decides)
            prev_body_open = ln.x1 >= right - 1.2 * ln.size and (page_indents or not TERMINAL.search(ln.text))
    return out


def _drop_overprinted(lines: list[TextLine]) -> list[TextLine]:
    """Drop a line lying mostly inside a line of larger type (OCR reading a bold headline's
    strokes a second time as specks of text)."""
    ordered = sorted(lines, key=lambda ln: ln.top)
    dropped: set[int] = set()
    for i, small in enumerate(ordered):
        area = max(1e-6, (small.x1 - small.x0) * (small.bottom - small.top))
        for big in ordered[max(0, i - 8): i + 8]:
            if big is small or big.size <= small.size * 1.2:
                continue
            w = min(small.x1, big.x1) - max(small.x0, big.x0)
            h = min(small.bottom, big.bottom) - max(small.top, big.top)
            if w > 0 and h > 0 and w * h > 0.5 * area:
                dropped.add(id(small))
                break
    return [ln for ln in lines if id(ln) not in dropped]


def split_captions(blocks: list[_Block], images: list[Box], body: float) -> list[_Block]:
    """A block right under a picture whose first paragraph (up to six lines, ending in a short
    line) is followed by more text: that paragraph is the picture's caption, set in the
    type of the text that runs on below it."""
    out = []
    for b in blocks:
        if len(b.lines) > 2 and _near_picture(b, images, body):
            right = b.right
            for k, ln in enumerate(b.lines[:6]):
                if k + 1 < len(b.lines) and ln.x1 < right - 1.2 * ln.size:
                    out.append(_Block(b.lines[:k + 1], under_picture=True))
                    b = _Block(b.lines[k + 1:])
                    break
        out.append(b)
    return out


def page_lines(page: PageLayout) -> list[Line]:
    """A page with geometry -> clean lines in reading order with roles and boxes."""
    from newsnlp.tidy import remove_mojibake, to_halfwidth

    lines = []
    for ln in page.lines:
        text = to_halfwidth(remove_mojibake(ln.text)).strip()
        if text:
            ln.text = text
            lines.append(ln)
    lines = _drop_overprinted(lines)
    if not lines:
        return []
    body = body_size(lines)
    if not page.exact_sizes:
        # OCR sizes are line heights: a line of low glyphs (子。, 一一) looks smaller than it is;
        # a few letters far smaller than the text are specks read as letters
        lines = [ln for ln in lines if ln.size >= 0.45 * body or len(ln.text) > 3]
        for ln in lines:
            if 0.85 * body <= ln.size <= 1.07 * body:
                ln.size = body
    tolerance = 0.05 if page.exact_sizes else 0.1
    blocks = split_captions(group_blocks(lines, page.rules, tolerance), page.images, body)
    blocks = reading_order(blocks, page.rules, body)
    blocks = follow_cut_off_text(blocks, body)
    assign_roles(blocks, page, body)
    return to_lines(blocks, body)
