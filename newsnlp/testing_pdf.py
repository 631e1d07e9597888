"""Generated newspaper pages rendered to PDF with real typography, for testing PDF readers.

:func:`render_pdf` takes gold page dicts (as returned by :func:`newsnlp.testing.generate_page`
or :func:`newsnlp.testing_b.generate_page_b`) and sets each one as a PDF page with
reportlab's built-in CID font ``STSong-Light`` (no font file needed; its text layer
extracts as Unicode).  :func:`render_gold_pdf` also returns, per page, a copy of the
gold with the page size, the layout drawn and each article's region on the page.

Each page is laid out in one of two independent styles, drawn by a seeded rng:

- ``"modular"``: articles stacked in horizontal bands (sometimes two articles side by
  side in a band, with a vertical rule between them); an article's kicker, headline
  and subtitle span its width and its body is balanced over 2-5 columns under them;
  thin rules or white space between bands.
- ``"flow"``: 4-7 narrow columns; articles follow one another down a column and on
  into the next; headlines are set in the column width (2-3 lines when long); some
  articles span two columns (their body balanced over both); on some pages some
  articles are boxed (a rectangle drawn round them).

Common to both: A3 or broadsheet page; a header with the gold's furniture lines and
section and a rule under it; headline 16-30 pt, kicker and subtitle 10-14 pt
(subtitle sometimes after ``——``), byline 8-10 pt, body 8.5-10.5 pt (varying
between pages), subheads 10-12 pt, captions 7.5-9 pt under a grey rectangle (the
photo) inside their article; body lines justified to the column width (by character
spacing); paragraphs indented by two characters, or not indented with a small extra
gap; headlines and subheads in fake bold (the line drawn twice, 0.3-0.6 pt apart) on
some pages.  Datelines and bylines are printed as the text generators print them:
run in at the start of the first paragraph (``本报北京1月1日电（记者 王小明）``), a
byline on its own line under the headline, or a trailing ``（记者 王小明）`` /
``（本报北京1月1日电）``; continuation notes ``（上接第一版）`` open and ``（下转第八版）``
close an article.

Every character of the gold is printed exactly once (fake bold aside); caption credits
(``本报记者 王小明摄``, made up, listed in the gold as ``caption_credits``) are the only
text printed that the gold does not hold.  When the text does not fit, the type is
shrunk a little, columns are added and, as a last resort, the page is made taller:
nothing is dropped, and no two lines of text overlap.
"""
from __future__ import annotations

import copy
import io
import random
import re
from dataclasses import dataclass, field
from typing import Any, Sequence

FONT = "STSong-Light"
LAYOUT_STYLES = ("modular", "flow")
PAGE_SIZES = {"A3": (842.0, 1191.0), "broadsheet": (1105.0, 1545.0)}

_NO_START = set("，。、；：？！）》」』”’…%·,.;:?!)]}")
_NO_END = set("（《「『“‘([{")
_ASCENT = 0.86  # baseline below the top of a line box, in ems
_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程苏魏吕"
_GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红建文辉力鹏宇浩凯健晨琳雪欣婷颖博志新海波峰"

_registered = False
_WIDTHS: dict[str, float] = {}


def _font() -> None:
    global _registered
    if not _registered:
        from reportlab.pdfbase import pdfmetrics
        from reportlab.pdfbase.cidfonts import UnicodeCIDFont

        pdfmetrics.registerFont(UnicodeCIDFont(FONT))
        _registered = True


def _em(text: str) -> float:
    """Advance width of ``text`` in ems (cached per character)."""
    total = 0.0
    for ch in text:
        w = _WIDTHS.get(ch)
        if w is None:
            from reportlab.pdfbase import pdfmetrics

            w = _WIDTHS[ch] = pdfmetrics.stringWidth(ch, FONT, 1000) / 1000
        total += w
    return total


# --------------------------------------------------------------------------- lines and items

@dataclass
class _Text:
    """One printed line: ``x``/``top`` relative to its item (top-left origin)."""

    x: float
    top: float
    text: str
    size: float
    kind: str
    tc: float = 0.0      # extra space after each character (justification)
    bold: float = 0.0    # fake-bold x offset, 0 for none

    @property
    def width(self) -> float:
        return _em(self.text) * self.size + self.tc * max(0, len(self.text) - 1)


@dataclass
class _Rect:
    x: float
    top: float
    w: float
    h: float
    gray: float | None = None   # fill grey level; None: stroked outline
    lw: float = 0.5


@dataclass
class _Rule:
    x0: float
    y0: float
    x1: float
    y1: float
    lw: float = 0.5


@dataclass
class _Item:
    """A vertical unit poured into columns: a line, a gap or a photo with its caption."""

    h: float
    ops: list = field(default_factory=list)
    gap: bool = False    # white space, dropped at the top of a column
    keep: bool = False   # keep with the next item


def _tokens(text: str) -> list[str]:
    return re.findall(r"[!-~]+|.", text)


def _wrap(text: str, width: float, size: float, indent: float = 0.0) -> list[tuple[str, float]]:
    """Break ``text`` into lines at most ``width`` wide: (line, indent) pairs.  ASCII runs
    stay whole unless longer than a line; closing punctuation never starts a line and
    opening punctuation never ends one (the character before moves down with it)."""
    tokens: list[str] = []
    for tok in _tokens(text):
        if len(tok) > 1 and _em(tok) * size > width * 0.6:
            tokens.extend(tok)
        else:
            tokens.append(tok)
    lines: list[tuple[str, float]] = []
    cur: list[str] = []
    used, ind = indent, indent
    for tok in tokens:
        w = _em(tok) * size
        if cur and used + w > width + 0.01:
            carry: list[str] = []
            if tok[0] in _NO_START:
                while len(cur) > 1:
                    carry.insert(0, cur.pop())
                    if carry[0][0] not in _NO_START:
                        break
            while len(cur) > 1 and cur[-1][-1] in _NO_END:
                carry.insert(0, cur.pop())
            line = "".join(cur).strip()
            if line:
                lines.append((line, ind))
            cur, ind = carry, 0.0
            used = sum(_em(t) * size for t in cur)
            if not cur and not tok.strip():
                continue  # a space at the start of a line
        cur.append(tok)
        used += w
    line = "".join(cur).strip()
    if line:
        lines.append((line, ind))
    return lines


def _justified(line: str, x: float, width: float, size: float, justify: bool) -> tuple[float, float]:
    """Character spacing that makes ``line`` (starting at ``x``) fill ``width``."""
    natural = _em(line) * size
    if not justify or len(line) < 2 or natural >= width - x:
        return 0.0, natural
    return (width - x - natural) / (len(line) - 1), width - x


def _block_lines(text: str, width: float, size: float, lead: float, kind: str, *, align: str = "left",
                 indent: float = 0.0, justify: bool = False, bold: float = 0.0, keep: bool = False) -> list[_Item]:
    """Items for a wrapped block of text; every line but the last is justified."""
    items = []
    wrapped = _wrap(text, width, size, indent)
    for n, (line, ind) in enumerate(wrapped):
        last = n == len(wrapped) - 1
        tc, w = _justified(line, ind, width, size, justify and not last)
        x = ind
        if align == "center":
            x = max(0.0, (width - w) / 2)
        elif align == "right":
            x = max(0.0, width - w)
        items.append(_Item(lead, [_Text(x, (lead - size) / 2 if kind != "body" else 0.0, line, size, kind, tc, bold)],
                           keep=keep))
    return items


def _gap(h: float, keep: bool = False) -> _Item:
    return _Item(h, gap=True, keep=keep)


def _pour(items: list[_Item], slots: list[float]) -> list[tuple[int, float]] | None:
    """Place ``items`` in order into slots of the given heights: (slot, y offset) per item,
    or None when they do not fit.  Gaps at the top of a slot are dropped (placed with
    their slot but with no height); an item marked ``keep`` moves on with the next one."""
    out: list[tuple[int, float]] = []
    slot, y = 0, 0.0
    i = 0
    while i < len(items):
        if slot >= len(slots):
            return None
        item = items[i]
        if item.gap and y == 0.0:
            out.append((slot, 0.0))
            i += 1
            continue
        # the run of kept items starting here must fit together with the first item after it
        j, need = i, 0.0
        while j < len(items) and items[j].keep:
            need += items[j].h
            j += 1
        if j < len(items) and j > i:
            need += items[j].h
        if j == i:
            need = item.h
        if y + need > slots[slot] + 0.01 and (y > 0.0 or need <= max(slots[slot + 1:], default=0.0)):
            slot, y = slot + 1, 0.0  # (a slot may start part-way down a column)
            continue
        if y + item.h > slots[slot] + 0.01:
            if y > 0.0:
                slot, y = slot + 1, 0.0
                continue
            return None  # taller than a whole slot
        out.append((slot, y))
        y += item.h
        i += 1
    return out


def _balance(items: list[_Item], k: int) -> tuple[float, list[tuple[int, float]]]:
    """Shortest column height that holds ``items`` in ``k`` columns, and the placement."""
    total = sum(it.h for it in items if not it.gap) or 1.0
    lo = max([total / k] + [it.h for it in items])
    hi = total + sum(it.h for it in items) + 1.0
    best = _pour(items, [hi] * k)
    if best is None:
        best = _pour(items, [hi * 4] * k)
        hi *= 4
    for _ in range(22):
        if hi - lo < 0.5:
            break
        mid = (lo + hi) / 2
        placed = _pour(items, [mid] * k)
        if placed is None:
            lo = mid
        else:
            hi, best = mid, placed
    assert best is not None
    used = max((y + items[n].h for n, (s, y) in enumerate(best) if not items[n].gap), default=0.0)
    return used, best


# --------------------------------------------------------------------------- the look of a page

@dataclass
class _Look:
    style: str
    size_name: str
    body: float
    lead: float          # body leading factor
    subhead: float
    kicker: float
    subtitle: float
    byline: float
    caption: float
    head_main: float
    head_other: tuple[float, float]
    indent: bool
    para_gap: float      # extra gap between paragraphs (in body sizes) when not indented
    bold_head: float
    bold_sub: float
    head_align: str
    sub_align: str
    margin: float
    gutter: float
    rules: bool          # rules (else white space) between articles
    column_rules: bool
    boxes: bool
    columns: int         # flow: number of columns
    header_rule: str

    @classmethod
    def draw(cls, rng: random.Random, style: str) -> "_Look":
        body = rng.choice([8.5, 8.75, 9.0, 9.25, 9.5, 9.75, 10.0, 10.25, 10.5])
        return cls(
            style=style, size_name="A3", body=body, lead=rng.uniform(1.45, 1.75),
            subhead=rng.uniform(max(10.0, body + 0.5), 12.0), kicker=rng.uniform(10, 14),
            subtitle=rng.uniform(10, 14), byline=rng.uniform(8, 10), caption=rng.uniform(7.5, 9),
            head_main=rng.uniform(24, 30), head_other=(16.0, rng.uniform(18, 24)),
            indent=rng.random() < 0.75, para_gap=rng.uniform(0.25, 0.5),
            bold_head=rng.uniform(0.3, 0.6) if rng.random() < 0.6 else 0.0,
            bold_sub=rng.uniform(0.3, 0.6) if rng.random() < 0.5 else 0.0,
            head_align=rng.choice(["left", "center"]) if style == "modular" else rng.choice(["left", "left", "center"]),
            sub_align=rng.choice(["left", "center"]),
            margin=rng.uniform(30, 48), gutter=rng.uniform(10, 16), rules=rng.random() < 0.6,
            column_rules=rng.random() < 0.3, boxes=style == "flow" and rng.random() < 0.5,
            columns=0, header_rule=rng.choice(["thin", "thick", "double"]),
        )

    def scaled(self, s: float) -> "_Look":
        """Smaller type (headlines keep their sizes)."""
        out = copy.copy(self)
        out.body = self.body * s
        out.subhead = max(out.body + 0.5, min(self.subhead, 10.0 + (self.subhead - 10.0) * s))
        out.kicker, out.subtitle = max(10.0, self.kicker * s), max(10.0, self.subtitle * s)
        out.byline, out.caption = max(7.5, self.byline * s), max(7.0, self.caption * s)
        return out


# --------------------------------------------------------------------------- what an article prints

@dataclass
class _Spec:
    """What one article prints, drawn once per page (independent of the layout)."""

    kicker: str | None
    headline: list[str]
    subtitle: str | None
    byline_line: str | None
    top_note: str | None
    blocks: list[tuple[str, str]]        # (kind, printed text)
    bottom_note: str | None
    photos: list[tuple[int, str, str | None]]   # (after block index, caption, credit)
    head_rank: float                     # 0..1: share of the headline size range
    chars: int


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2])))


def _spec(article: dict[str, Any], rng: random.Random, rank: float) -> tuple[_Spec, list[str]]:
    """The printed pieces of ``article`` (a gold article record) and the made-up caption credits."""
    blocks = [(b.get("kind") or "p", b["text"]) if isinstance(b, dict) else ("p", b)
              for b in article.get("body") or [] if (b.get("text") if isinstance(b, dict) else b)]
    dateline, byline = article.get("dateline"), article.get("byline")
    if not byline and article.get("reporters"):
        byline = "记者 " + "、".join(article["reporters"])
    prefix, trailer, byline_line = "", "", None
    if dateline and byline:
        form = rng.choices(["inline", "own", "trail"], [0.6, 0.25, 0.15])[0]
    elif byline:
        form = rng.choices(["own", "trail"], [0.6, 0.4])[0]
    else:
        form = "none"
    if dateline:
        if not byline and rng.random() < 0.15:
            trailer = "（" + dateline + "）"
        else:
            prefix = dateline + ("（" + byline + "）" if form == "inline" else "")
    if form == "own":
        byline_line = byline
    elif form == "trail":
        trailer = "（" + byline + "）" + trailer
    first_p = next((n for n, (kind, _) in enumerate(blocks) if kind == "p"), None)
    if prefix and first_p is None:
        blocks.insert(0, ("p", ""))
        first_p = 0
    if prefix:
        kind, text = blocks[first_p]
        blocks[first_p] = (kind, prefix + rng.choice(["", "\u3000", " "]) + text)
    if trailer:
        if blocks and blocks[-1][0] == "p":
            blocks[-1] = ("p", blocks[-1][1] + trailer)
        else:
            blocks.append(("p", trailer))
    cont = article.get("continuation") or None
    top_note = bottom_note = None
    if cont:
        note = rng.choice(["（{}）", "（{}）", "({})"]).format(cont)
        if cont.startswith("上接"):
            top_note = note
        else:
            bottom_note = note
    credits: list[str] = []
    photos = []
    for caption in article.get("captions") or []:
        text = caption if isinstance(caption, str) else caption.get("text") or ""
        credit = None
        if rng.random() < 0.5:
            form = rng.choice(["本报记者 {}摄", "记者 {}摄", "{}摄", "新华社记者 {}摄"])
            credit = form.format(_person(rng))
            credits.append(credit)
        photos.append((rng.randrange(max(1, len(blocks))), text, credit))
    subtitle = article.get("subtitle")
    if subtitle and rng.random() < 0.4:
        subtitle = "——" + subtitle
    chars = sum(len(t) for _, t in blocks) + sum(len(t) for _, t, _ in photos)
    return _Spec(article.get("kicker"), list(article.get("headline") or []), subtitle, byline_line, top_note,
                 blocks, bottom_note, photos, rank, chars), credits


def _heading_items(spec: _Spec, look: _Look, width: float, head_size: float) -> list[_Item]:
    """Kicker, headline lines, subtitle and own-line byline, each kept with the next item."""
    items: list[_Item] = []
    al = look.head_align
    if spec.kicker:
        items += _block_lines(spec.kicker, width, look.kicker, look.kicker * 1.35, "kicker", align=al, keep=True)
    for line in spec.headline:
        items += _block_lines(line, width, head_size, head_size * 1.22, "headline", align=al,
                              bold=look.bold_head, keep=True)
    if spec.subtitle:
        items += _block_lines(spec.subtitle, width, look.subtitle, look.subtitle * 1.4, "subtitle", align=al, keep=True)
    if spec.byline_line:
        items.append(_gap(look.byline * 0.3, keep=True))
        items += _block_lines(spec.byline_line, width, look.byline, look.byline * 1.5, "byline",
                              align="center" if al == "center" else "left", keep=True)
    if items:
        items.append(_gap(look.body * 0.8, keep=True))
    return items


def _head_size(spec: _Spec, look: _Look, width: float, max_lines: int) -> float:
    """Headline size from the article's rank, made smaller (not below 16 pt) so that the
    headline takes at most ``max_lines`` lines in ``width``."""
    lo, hi = look.head_other
    size = look.head_main if spec.head_rank >= 1 else lo + (hi - lo) * spec.head_rank
    floor = min(16.0, lo)
    while size > floor:
        n = sum(len(_wrap(line, width, size)) for line in spec.headline)
        if n <= max(max_lines, len(spec.headline)):
            break
        size = max(floor, size - 1)
    return size


def _body_items(spec: _Spec, look: _Look, width: float, rng: random.Random) -> list[_Item]:
    """Continuation notes, paragraphs, subheads and photos with captions, in reading order."""
    b, lead = look.body, look.body * look.lead
    items: list[_Item] = []
    if spec.top_note:
        items += _block_lines(spec.top_note, width, b, lead, "continuation")
    photos = {}
    for after, caption, credit in spec.photos:
        photos.setdefault(after, []).append((caption, credit))
    for n, (kind, text) in enumerate(spec.blocks):
        if kind == "subhead":
            items.append(_gap(lead * 0.5))
            items += _block_lines(text, width, look.subhead, look.subhead * 1.45, "subhead", align=look.sub_align,
                                  bold=look.bold_sub, keep=True)
            items.append(_gap(lead * 0.25, keep=True))
        else:
            if n and not look.indent:
                items.append(_gap(b * look.para_gap))
            items += _block_lines(text, width, b, lead, "body", indent=2 * b if look.indent else 0.0, justify=True)
        for caption, credit in photos.get(n, []):
            items.append(_photo(caption, credit, look, width, rng))
    if spec.bottom_note:
        items += _block_lines(spec.bottom_note, width, b, lead, "continuation", align="right")
    return items


def _photo(caption: str, credit: str | None, look: _Look, width: float, rng: random.Random) -> _Item:
    """A grey rectangle (the photo) with its caption (and credit) under it."""
    ph = min(width * rng.uniform(0.55, 0.8), look.body * rng.uniform(12, 20))
    size, lead = look.caption, look.caption * 1.35
    ops: list = [_Rect(0, look.body * 0.3, width, ph, gray=rng.uniform(0.7, 0.88))]
    y = look.body * 0.3 + ph + 3
    lines = _block_lines(caption, width, size, lead, "caption", justify=True)
    if credit:
        lines += _block_lines(credit, width, size, lead, "credit", align="right")
    for it in lines:
        for op in it.ops:
            op.top += y
            ops.append(op)
        y += it.h
    return _Item(y + look.body * 0.6, ops)


# --------------------------------------------------------------------------- page layout

@dataclass
class _Placed:
    """Absolute drawing operations: per article, plus the page's own (header, rules)."""

    articles: list[list]
    page: list
    segments: list[list[list[float]]]   # per article: rectangles of its parts


def _shift(ops: list, dx: float, dy: float) -> list:
    out = []
    for op in ops:
        op = copy.copy(op)
        if isinstance(op, _Rule):
            op.x0 += dx; op.x1 += dx; op.y0 += dy; op.y1 += dy  # noqa: E702
        else:
            op.x += dx
            op.top += dy
        out.append(op)
    return out


def _extent(ops: list) -> list[float] | None:
    boxes = [_op_box(op) for op in ops]
    boxes = [b for b in boxes if b]
    if not boxes:
        return None
    return [min(b[0] for b in boxes), min(b[1] for b in boxes), max(b[2] for b in boxes), max(b[3] for b in boxes)]


def _op_box(op) -> list[float] | None:
    if isinstance(op, _Text):
        return [op.x, op.top, op.x + op.width + op.bold, op.top + op.size]
    if isinstance(op, _Rect):
        return [op.x, op.top, op.x + op.w, op.top + op.h]
    return None


def _header(gold: dict[str, Any], look: _Look, W: float, rng: random.Random) -> tuple[list, float]:
    """Furniture lines and section at the top of the page, a rule under them; returns the
    operations and the y where the articles may start."""
    m = look.margin
    width = W - 2 * m
    ops: list = []
    lines = [line for line in gold.get("furniture") or [] if line.strip()]
    section = gold.get("section")
    label = section if section and not any(section in line or section in re.sub(r"\s", "", line)
                                           for line in lines) else None
    y = m
    fsize = rng.uniform(9, 12)
    left_w = 0.0
    if label:
        lsize = rng.uniform(16, 22)
        while _em(label) * lsize > width * 0.45:
            lsize *= 0.9
        ops.append(_Text(m, y, label, lsize, "section", bold=look.bold_head))
        left_w = _em(label) * lsize + 20
    side = rng.choice(["right", "center", "left"]) if not label else "right"
    ry = y
    for line in lines:
        size = fsize
        avail = width - left_w
        if _em(line) * size > avail:
            if label:  # below the label instead, full width
                avail, left_w = width, 0.0
                ry = max(ry, y + ops[0].size + 4)
            while _em(line) * size > avail:
                size *= 0.92
        w = _em(line) * size
        x = m + width - w if side == "right" else m + (width - w) / 2 if side == "center" else m + left_w
        ops.append(_Text(x, ry, line, size, "furniture"))
        ry += size * 1.5
    bottom = max([op.top + op.size for op in ops], default=m) + 6
    lw = {"thin": 0.6, "thick": 1.8, "double": 1.5}[look.header_rule]
    ops.append(_Rule(m, bottom, W - m, bottom, lw))
    if look.header_rule == "double":
        ops.append(_Rule(m, bottom + 3, W - m, bottom + 3, 0.5))
        bottom += 3
    return ops, bottom + look.body * 1.5


def _layout_modular(specs: list[_Spec], look: _Look, W: float, H: float, y0: float, seed: int) -> _Placed | None:
    rng = random.Random(seed)
    m, g = look.margin, look.gutter
    X0, X1, Y1 = m, W - m, H - m
    # bands: one article, or two short ones side by side
    bands: list[list[int]] = []
    i = 0
    while i < len(specs):
        if (i + 1 < len(specs) and specs[i].chars < 1200 and specs[i + 1].chars < 1200 and rng.random() < 0.35):
            bands.append([i, i + 1])
            i += 2
        else:
            bands.append([i])
            i += 1
    sep = look.body * rng.uniform(1.6, 2.4)
    laid: list[tuple[list[int], list[tuple[float, float, float, list]]]] = []  # per band: (x, w, h, ops)
    for band in bands:
        share = [1.0] if len(band) == 1 else [rng.uniform(0.4, 0.6)]
        if len(band) == 2:
            share.append(1 - share[0])
        x, full = X0, X1 - X0 - (len(band) - 1) * g * 1.5
        parts = []
        for n, idx in zip(range(len(band)), band):
            spec = specs[idx]
            w = full * share[n]
            k_max = max(2, min(5, int((w + g) // (110 + g))))
            k = max(2, min(k_max, rng.randint(2, 5), 2 + spec.chars // 500))
            cw = (w - (k - 1) * g) / k
            hsize = _head_size(spec, look, w, 2)
            head = _heading_items(spec, look, w, hsize)
            ops, y = [], 0.0
            for it in head:
                ops += _shift(it.ops, 0, y)
                y += it.h
            body = _body_items(spec, look, cw, rng)
            bh, placed = _balance(body, k)
            for it, (col, yy) in zip(body, placed):
                ops += _shift(it.ops, col * (cw + g), y + yy)
            if look.column_rules and k > 1:
                for col in range(1, k):
                    xr = col * (cw + g) - g / 2
                    ops.append(_Rule(xr, y, xr, y + bh, 0.3))
            parts.append((x, w, y + bh, ops))
            x += w + g * 1.5
        laid.append((band, parts))
    total = sum(max(p[2] for p in parts) for _, parts in laid) + sep * (len(laid) - 1)
    if y0 + total > Y1:
        return None
    extra = min((Y1 - y0 - total) / max(1, len(laid)), look.body * 3)
    arts: list[list] = [[] for _ in specs]
    segs: list[list[list[float]]] = [[] for _ in specs]
    page: list = []
    y = y0
    for b, (band, parts) in enumerate(laid):
        bh = max(p[2] for p in parts)
        for idx, (x, w, h, ops) in zip(band, parts):
            arts[idx] = _shift(ops, x, y)
            box = _extent(arts[idx])
            if box:
                segs[idx].append(box)
        if len(parts) == 2:
            xr = parts[1][0] - g * 0.75
            page.append(_Rule(xr, y, xr, y + bh, 0.5))
        y += bh
        if b < len(laid) - 1:
            gap = sep + extra
            if look.rules:
                page.append(_Rule(X0, y + gap / 2, X1, y + gap / 2, 0.6))
            y += gap
    return _Placed(arts, page, segs)


def _layout_flow(specs: list[_Spec], look: _Look, W: float, H: float, y0: float, seed: int) -> _Placed | None:
    rng = random.Random(seed)
    m, g = look.margin, look.gutter
    n = look.columns
    cw = (W - 2 * m - (n - 1) * g) / n
    Y1 = H - m
    colH = Y1 - y0
    cur = [y0] * n
    c = 0
    sep = look.body * rng.uniform(1.2, 2.0)
    arts: list[list] = [[] for _ in specs]
    segs: list[list[list[float]]] = [[] for _ in specs]
    page: list = []
    colx = [m + k * (cw + g) for k in range(n)]
    pad = 6.0

    def stack(items: list[_Item]) -> tuple[list, float]:
        ops, y = [], 0.0
        for it in items:
            ops += _shift(it.ops, 0, y)
            y += it.h
        return ops, y

    def finish(idx: int, cols: list[int], bottom: float) -> None:
        nonlocal c
        for k in cols:
            cur[k] = bottom + sep
            if look.rules and bottom + sep < Y1 - look.body * 2:
                page.append(_Rule(colx[k], bottom + sep / 2, colx[k] + cw, bottom + sep / 2, 0.5))
        c = cols[0]

    for idx, spec in enumerate(specs):
        boxed = look.boxes and rng.random() < 0.35
        span = spec.chars > 500 and rng.random() < 0.35
        while c < n and cur[c] > Y1 - look.body * 4:
            c += 1
        if c >= n:
            return None
        # two columns wide: kept whole, its body balanced over both columns
        if span:
            for a in (c, c + 1):
                if (a + 1 >= n or abs(cur[a] - cur[a + 1]) > 0.25 * colH
                        or (a > c and Y1 - cur[c] > 0.3 * colH)):
                    continue
                top = max(cur[a], cur[a + 1])
                inset = pad if boxed else 0.0
                w2 = 2 * cw + g - 2 * inset
                hs = _head_size(spec, look, w2, 2)
                hops, hh = stack(_heading_items(spec, look, w2, hs))
                sub = (w2 - g) / 2
                body = _body_items(spec, look, sub, rng)
                bh, placed = _balance(body, 2)
                if top + hh + bh + 2 * inset > Y1:
                    continue
                ops = list(hops)
                for it, (col, yy) in zip(body, placed):
                    ops += _shift(it.ops, col * (sub + g), hh + yy)
                ops = _shift(ops, colx[a] + inset, top + inset)
                if boxed:
                    ops.append(_Rect(colx[a], top, 2 * cw + g, hh + bh + 2 * inset, gray=None, lw=0.8))
                arts[idx] = ops
                segs[idx].append(_extent(ops))
                for k in range(c, a):
                    cur[k] = Y1
                finish(idx, [a, a + 1], top + hh + bh + 2 * inset)
                break
            if arts[idx]:
                continue
        # one column wide, boxed: kept whole in one column
        if boxed:
            hs = _head_size(spec, look, cw - 2 * pad, 3)
            ops, h = stack(_heading_items(spec, look, cw - 2 * pad, hs) + _body_items(spec, look, cw - 2 * pad, rng))
            for k in range(c, n):
                if cur[k] + h + 2 * pad <= Y1:
                    ops = _shift(ops, colx[k] + pad, cur[k] + pad)
                    ops.append(_Rect(colx[k], cur[k], cw, h + 2 * pad, gray=None, lw=0.8))
                    arts[idx] = ops
                    segs[idx].append(_extent(ops))
                    for j in range(c, k):
                        cur[j] = Y1
                    finish(idx, [k], cur[k] + h + 2 * pad)
                    break
            if arts[idx]:
                continue
        # one column wide, flowing on into the next columns
        hs = _head_size(spec, look, cw, 3)
        items = _heading_items(spec, look, cw, hs) + _body_items(spec, look, cw, rng)
        slots = [Y1 - cur[k] for k in range(c, n)]
        placed = _pour(items, slots)
        if placed is None:
            return None
        by_slot: dict[int, list] = {}
        last_bottom: dict[int, float] = {}
        for it, (s, yy) in zip(items, placed):
            k = c + s
            by_slot.setdefault(k, []).extend(_shift(it.ops, colx[k], cur[k] + yy))
            if not it.gap:
                last_bottom[k] = cur[k] + yy + it.h
        ops = []
        for k in sorted(by_slot):
            ops += by_slot[k]
            box = _extent(by_slot[k])
            if box:
                segs[idx].append(box)
        arts[idx] = ops
        used = sorted(last_bottom)
        for k in range(c, used[-1]):
            cur[k] = Y1
        finish(idx, [used[-1]], last_bottom[used[-1]])
    return _Placed(arts, page, segs)


# --------------------------------------------------------------------------- drawing

def _draw(canvas, placed: _Placed, header: list, H: float) -> None:
    from reportlab.lib.colors import Color

    def draw_ops(ops: list) -> None:
        for op in ops:
            if isinstance(op, _Rule):
                canvas.setLineWidth(op.lw)
                canvas.setStrokeGray(0)
                canvas.line(op.x0, H - op.y0, op.x1, H - op.y1)
            elif isinstance(op, _Rect):
                canvas.setLineWidth(op.lw)
                if op.gray is None:
                    canvas.setStrokeGray(0)
                    canvas.rect(op.x, H - op.top - op.h, op.w, op.h, stroke=1, fill=0)
                else:
                    canvas.setFillColor(Color(op.gray, op.gray, op.gray))
                    canvas.rect(op.x, H - op.top - op.h, op.w, op.h, stroke=0, fill=1)
                    canvas.setFillGray(0)
            else:
                for dx in (0.0, op.bold) if op.bold else (0.0,):
                    t = canvas.beginText(op.x + dx, H - op.top - _ASCENT * op.size)
                    t.setFont(FONT, op.size)
                    t.setCharSpace(op.tc)
                    # pdfium drops a text object of a single character when it has no glyph
                    # outlines for the (non-embedded) font: a trailing space keeps it
                    t.textOut(op.text if len(op.text) > 1 else op.text + " ")
                    canvas.drawText(t)

    draw_ops(header)
    for ops in placed.articles:
        draw_ops(ops)
    draw_ops(placed.page)


def _line_record(op: _Text) -> dict[str, Any]:
    return {"kind": op.kind, "text": op.text, "size": round(op.size, 2), "bold": op.bold > 0,
            "bbox": [round(v, 2) for v in _op_box(op)]}


def _layout_page(gold: dict[str, Any], rng: random.Random,
                 style: str) -> tuple[_Placed, list, float, float, _Look, list]:
    """Lay one gold page out: tries growing page sizes, more columns and smaller type
    until everything fits."""
    look = _Look.draw(rng, style)
    articles = gold.get("articles") or []
    n = len(articles)
    ranks = [1.0 if i == 0 and rng.random() < 0.7 else rng.random() for i in range(n)]
    specs, credits = [], []
    for article, rank in zip(articles, ranks):
        spec, cr = _spec(article, rng, rank)
        specs.append(spec)
        credits.append(cr)
    chars = sum(s.chars for s in specs)
    # area the articles will take (calibrated on generated pages), against A3's
    if style == "flow":
        need = chars * look.body ** 2 * look.lead * 1.35 + n * 30000
    else:
        need = chars * look.body ** 2 * look.lead * 1.6 + n * 70000
    a3 = (PAGE_SIZES["A3"][0] - 80) * (PAGE_SIZES["A3"][1] - 160)
    attempts = [("A3", 1.0, 1.0), ("A3", 0.95, 1.0), ("A3", 0.9, 1.0)]
    if need > 1.25 * a3:
        attempts = []
    elif need > 0.8 * a3 and rng.random() < 0.4:
        attempts = attempts[:1]
    attempts += [("broadsheet", scale, 1.0) for scale in (1.0, 0.95, 0.9)]
    attempts += [("broadsheet", 0.9, 1.0 + 0.1 * k) for k in range(1, 60)]
    jitter = rng.uniform(0.97, 1.03)
    seed = rng.randrange(1 << 30)
    base_cols = random.Random(seed).randint(4, 6)
    for name, scale, grow in attempts:
        W, H = PAGE_SIZES[name]
        W, H = round(W * jitter), round(H * jitter * grow)
        lk = look.scaled(scale)
        lk.size_name = name
        header, y0 = _header(gold, lk, W, random.Random(seed))
        cols_range = [0]
        if style == "flow":
            lo = max(4, min(7, round((W - 2 * lk.margin) / 175)))
            start = max(4, min(7, base_cols + (1 if name == "broadsheet" else 0), lo + 1))
            cols_range = list(range(start, 8))
        for cols in cols_range:
            lk.columns = cols
            lay = _layout_flow if style == "flow" else _layout_modular
            placed = lay(specs, lk, W, H, y0, seed)
            if placed is not None:
                return placed, header, W, H, lk, credits
    raise RuntimeError("page does not fit")  # not reached: the page grows until it fits


def render_gold_pdf(pages: Sequence[dict[str, Any]], *, seed: int = 0,
                    styles: Sequence[str] | None = None) -> tuple[bytes, list[dict[str, Any]]]:
    """Render gold pages to one PDF (a page each) and return it with per-page gold.

    Each returned gold is a deep copy of the input page with ``page_size`` ([width,
    height] in points), ``layout`` (style and type sizes drawn), ``header_lines`` and,
    per article, ``bbox`` ([x0, y0, x1, y1] in points, origin top-left, y downwards:
    the union of its parts), ``boxes`` (one rectangle per column segment it occupies;
    in the flow style an article may run on into the next column), ``lines`` (every
    printed line: kind, text, size, bold, bbox) and ``caption_credits`` (made-up
    credits printed with its captions).  ``styles`` restricts the layout styles drawn
    (default: all of :data:`LAYOUT_STYLES`); page ``i`` is drawn from ``seed`` and ``i``
    only.
    """
    from reportlab.pdfgen.canvas import Canvas

    _font()
    choices = list(styles or LAYOUT_STYLES)
    if not set(choices) <= set(LAYOUT_STYLES):
        raise ValueError(f"unknown layout style in {choices}")
    buf = io.BytesIO()
    canvas = Canvas(buf, pageCompression=1, invariant=1)  # no timestamps: same seed, same bytes
    canvas.setTitle("generated newspaper pages")
    golds = []
    for i, gold in enumerate(pages):
        rng = random.Random(f"{seed}:{i}")
        style = rng.choice(choices)
        placed, header, W, H, look, credits = _layout_page(gold, rng, style)
        canvas.setPageSize((W, H))
        _draw(canvas, placed, header, H)
        canvas.showPage()
        out = copy.deepcopy(gold)
        out["page_size"] = [W, H]
        out["layout"] = {"style": style, "page": look.size_name, "body_size": round(look.body, 2),
                         "leading": round(look.body * look.lead, 2), "indent": look.indent,
                         "fake_bold_headlines": look.bold_head > 0, "fake_bold_subheads": look.bold_sub > 0,
                         "columns": look.columns or None, "boxes": look.boxes, "rules": look.rules}
        out["header_lines"] = [_line_record(op) for op in header if isinstance(op, _Text)]
        for article, ops, segs, cr in zip(out.get("articles") or [], placed.articles, placed.segments, credits):
            box = _extent(ops)
            article["bbox"] = [round(v, 2) for v in box] if box else None
            article["boxes"] = [[round(v, 2) for v in s] for s in segs]
            article["lines"] = [_line_record(op) for op in ops if isinstance(op, _Text)]
            article["caption_credits"] = cr
        golds.append(out)
    canvas.save()
    return buf.getvalue(), golds


def render_pdf(pages: Sequence[dict[str, Any]], *, seed: int = 0, styles: Sequence[str] | None = None) -> bytes:
    """Render gold pages (one PDF page each) in randomly drawn layout styles; see
    :func:`render_gold_pdf` for the gold with article regions."""
    return render_gold_pdf(pages, seed=seed, styles=styles)[0]


__all__ = ["FONT", "LAYOUT_STYLES", "PAGE_SIZES", "render_gold_pdf", "render_pdf"]
