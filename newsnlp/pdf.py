"""E-paper PDF pages -> :class:`newsnlp.layout.PageLayout`, one page at a time.

Reads the text layer with PDFium (pypdfium2): each character's box and type size,
bold from the font's weight (or from the same text drawn twice a fraction of a point
apart, the fake bold of many e-paper PDFs), and the rules, box edges and pictures drawn
on the page.  Characters are grouped into lines by their positions, never by the order
the PDF happens to draw them in.

Pages are yielded one by one and closed after use, so a 300-page PDF is read in
bounded memory.  Bad input raises :class:`newsnlp.errors.InputError` with one line.
"""
from __future__ import annotations

import ctypes
from collections.abc import Iterator
from pathlib import Path

from newsnlp.errors import InputError
from newsnlp.layout import Box, PageLayout, TextLine

PDF_SUFFIXES = {".pdf"}
BOLD_WEIGHT = 600
UNMAPPED_SHARE = 0.3  # more of a page's characters than this without (sensible) Unicode: an unreadable text layer
LINE_GAP = 0.9  # a horizontal gap wider than this many ems ends a line (a column gutter)
NARROW_GUTTER = 0.35  # a narrower gap down the page as well (the same gap in the rows beside) is a gutter too


class _Glyph:
    """One character: its box, its baseline (``cy``: the origin's height, y downwards),
    its font size and whether it is bold."""

    __slots__ = ("ch", "x0", "top", "x1", "bottom", "size", "bold", "cy", "space")

    def __init__(self, ch: str, x0: float, top: float, x1: float, bottom: float, size: float, bold: bool,
                 cy: float | None = None):
        self.ch, self.x0, self.top, self.x1, self.bottom, self.size, self.bold = ch, x0, top, x1, bottom, size, bold
        self.cy = (top + bottom) / 2 if cy is None else cy
        self.space = False  # a space character was printed right before it


def is_pdf(path: Path, head: bytes | None = None) -> bool:
    """A PDF by its name or its first bytes."""
    if path.suffix.lower() in PDF_SUFFIXES:
        return True
    if head is None:
        try:
            with open(path, "rb") as fh:
                head = fh.read(8)
        except OSError:
            return False
    return head.startswith(b"%PDF-")


def _open(path: Path):
    import pypdfium2 as pdfium

    if not path.exists():
        raise InputError(f"{path}: no such file")
    try:
        return pdfium.PdfDocument(str(path))
    except pdfium.PdfiumError as exc:
        message = str(exc)
        if "password" in message.lower():
            raise InputError(f"{path}: the PDF is encrypted (password protected); decrypt it first") from None
        reason = message.rsplit("PDFium:", 1)[-1].strip(" ().") or message
        raise InputError(f"{path}: not a readable PDF, damaged or truncated ({reason})") from None


def page_count(path: str | Path) -> int:
    """Number of pages of a PDF file."""
    pdf = _open(Path(path))
    try:
        return len(pdf)
    finally:
        pdf.close()


def read_pdf(path: str | Path) -> Iterator[PageLayout]:
    """Yield each page of a PDF as a :class:`PageLayout` (page size in points, y downwards).

    Raises InputError for an encrypted, damaged or truncated file, for a PDF whose pages
    have no text layer at all (scans: use ``--ocr``), and for a page whose text layer is
    mostly glyphs without Unicode (unmapped CID fonts).
    """
    path = Path(path)
    pdf = _open(path)
    try:
        n = len(pdf)
        if n == 0:
            raise InputError(f"{path}: the PDF has no pages")
        texts = 0
        for index in range(n):
            try:
                page = pdf[index]
            except Exception as exc:  # a damaged page object
                raise InputError(f"{path}: page {index + 1} cannot be read ({exc})") from None
            try:
                layout = _page_layout(page, index + 1, path)
            finally:
                page.close()
            texts += bool(layout.lines)
            if index == n - 1 and not texts:
                raise InputError(f"{path}: the PDF has no text layer (a scan?); run it through OCR with --ocr")
            yield layout
    finally:
        pdf.close()


def _bold_objects(page) -> set[int]:
    """Text objects drawn twice, a fraction of a point apart: fake bold (both copies)."""
    import pypdfium2.raw as raw

    seen: dict[tuple[int, int], list[tuple[float, float, int]]] = {}
    bold: set[int] = set()
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        if raw.FPDFPageObj_GetType(obj) != raw.FPDF_PAGEOBJ_TEXT:
            continue
        raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        key = (round((right.value - left.value) * 4), round((top.value - bottom.value) * 4))
        handle = ctypes.cast(obj, ctypes.c_void_p).value or 0
        for x, y, other in seen.get(key, []):
            if abs(x - left.value) <= 1.5 and abs(y - bottom.value) <= 1.5:
                bold.update((handle, other))
        seen.setdefault(key, []).append((left.value, bottom.value, handle))
    return bold


def _graphics(page, height: float) -> tuple[list[Box], list[Box]]:
    """Rules (thin lines, edges of stroked boxes) and pictures (images, filled rectangles)."""
    import pypdfium2.raw as raw

    rules: list[Box] = []
    images: list[Box] = []
    left, bottom, right, top = (ctypes.c_float() for _ in range(4))
    fill, stroke = ctypes.c_int(), ctypes.c_int()
    for i in range(raw.FPDFPage_CountObjects(page)):
        obj = raw.FPDFPage_GetObject(page, i)
        kind = raw.FPDFPageObj_GetType(obj)
        if kind not in (raw.FPDF_PAGEOBJ_PATH, raw.FPDF_PAGEOBJ_IMAGE):
            continue
        raw.FPDFPageObj_GetBounds(obj, left, bottom, right, top)
        x0, x1, y0, y1 = left.value, right.value, height - top.value, height - bottom.value
        w, h = x1 - x0, y1 - y0
        if kind == raw.FPDF_PAGEOBJ_IMAGE:
            images.append((x0, y0, x1, y1))
        elif w <= 3 or h <= 3:
            rules.append((x0, y0, x1, y1))
        else:
            raw.FPDFPath_GetDrawMode(obj, ctypes.byref(fill), ctypes.byref(stroke))
            if fill.value:
                images.append((x0, y0, x1, y1))
            else:  # a box drawn round an article: its four edges are rules
                rules.extend([(x0, y0, x1, y0), (x0, y1, x1, y1), (x0, y0, x0, y1), (x1, y0, x1, y1)])
    return rules, images


def _glyphs(page, height: float, path: Path, number: int) -> list[_Glyph]:
    import pypdfium2.raw as raw

    textpage = page.get_textpage()
    try:
        n = raw.FPDFText_CountChars(textpage)
        if n <= 0:
            return []
        bold_objects = _bold_objects(page)
        rect = raw.FS_RECTF()
        glyphs: list[_Glyph] = []
        unmapped = 0
        weights: dict[int, bool] = {}
        ox, oy = ctypes.c_double(), ctypes.c_double()
        space = False
        for i in range(n):
            code = raw.FPDFText_GetUnicode(textpage, i)
            if code in (32, 0x3000, 0xA0, 9) and not raw.FPDFText_IsGenerated(textpage, i):
                space = True  # a printed space (between the names of a byline): kept as one
                continue
            if raw.FPDFText_IsGenerated(textpage, i) or code in (10, 13, 32, 0x3000, 0xA0, 9):
                continue
            if raw.FPDFText_HasUnicodeMapError(textpage, i) or not _readable(code):
                unmapped += 1  # a glyph id passed off as a character: garbage, not text
                continue
            raw.FPDFText_GetLooseCharBox(textpage, i, rect)
            x0, x1, y0, y1 = rect.left, rect.right, height - rect.top, height - rect.bottom
            if y1 <= y0:
                continue
            obj = ctypes.cast(raw.FPDFText_GetTextObject(textpage, i), ctypes.c_void_p).value or 0
            bold = weights.get(obj)
            if bold is None:
                bold = obj in bold_objects or raw.FPDFText_GetFontWeight(textpage, i) >= BOLD_WEIGHT
                weights[obj] = bold
            size = raw.FPDFText_GetFontSize(textpage, i)
            raw.FPDFText_GetCharOrigin(textpage, i, ox, oy)
            # the font's size (glyph boxes vary with the glyph and with the font substituted for a
            # font the PDF does not embed) and the baseline (which all the characters of a line share)
            glyphs.append(_Glyph(chr(code), x0, y0, x1, y1, size if size > 0 else y1 - y0, bold, height - oy.value))
            glyphs[-1].space, space = space, False
        if unmapped > UNMAPPED_SHARE * (unmapped + len(glyphs)) and unmapped >= 10:
            raise InputError(f"{path}: page {number}: the text layer is unreadable ({unmapped} of "
                             f"{unmapped + len(glyphs)} characters have no Unicode mapping); try --ocr")
        return _drop_doubles(glyphs)
    finally:
        textpage.close()


def _readable(code: int) -> bool:
    """Characters a Chinese page is printed in: CJK, ASCII, Latin-1, general and CJK punctuation,
    full-width forms, circled numbers and common symbols."""
    return (0x20 < code < 0x7F or 0xA1 <= code <= 0xFF or 0x2000 <= code <= 0x27BF or 0x2E80 <= code <= 0x9FFF
            or 0xF900 <= code <= 0xFAFF or 0xFE30 <= code <= 0xFE4F or 0xFF00 <= code <= 0xFFEF
            or 0x20000 <= code <= 0x3FFFF or 0x391 <= code <= 0x3C9 or 0x401 <= code <= 0x451)


def _drop_doubles(glyphs: list[_Glyph]) -> list[_Glyph]:
    """The same character drawn twice at almost the same place (fake bold): keep one, bold."""
    cells: dict[tuple[str, int, int], _Glyph] = {}
    out = []
    for g in glyphs:
        key = (g.ch, int(g.x0 // 2), int(g.top // 2))
        twin = None
        for dx in (-1, 0, 1):
            for dy in (-1, 0, 1):
                other = cells.get((g.ch, key[1] + dx, key[2] + dy))
                if other is not None and abs(other.x0 - g.x0) < 0.3 * g.size and abs(other.top - g.top) < 0.3 * g.size:
                    twin = other
        if twin is not None:
            twin.bold = True
            continue
        cells[key] = g
        out.append(g)
    return out


def _vertical_rule_between(rules: list[Box], x0: float, x1: float, cy: float) -> bool:
    return any(rx1 - rx0 <= 3 and rb - rt > 3 and x0 - 0.5 <= (rx0 + rx1) / 2 <= x1 + 0.5 and rt <= cy <= rb
               for rx0, rt, rx1, rb in rules)


def _latin(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


def group_lines(glyphs: list[_Glyph], rules: list[Box]) -> list[TextLine]:
    """Glyphs -> lines: one baseline row, cut at gutters and vertical rules.

    A gap wider than ``LINE_GAP`` ems is a gutter only where the rows just above or below,
    in type of the same size, have no character there either: the space after a dateline
    (``本报北京1月5日电  记者…``) has text under it, a gutter runs down the page."""
    rows: list[list[_Glyph]] = []
    for g in sorted(glyphs, key=lambda g: g.cy):
        for row in reversed(rows[-8:]):  # rows still open at this height
            ref = row[0]
            if abs(g.cy - ref.cy) < 0.35 * min(g.size, ref.size) and abs(g.size - ref.size) <= 0.15 * ref.size:
                row.append(g)
                break
        else:
            rows.append([g])
    for row in rows:
        row.sort(key=lambda g: g.x0)
    rows.sort(key=lambda row: row[0].cy)
    lines: list[TextLine] = []
    vertical_rules = [r for r in rules if r[2] - r[0] <= 3]
    gutters = _gutters(rows)
    for r, row in enumerate(rows):
        current = [row[0]]
        for g in row[1:]:
            prev = current[-1]
            gap = g.x0 - prev.x1
            size = max(g.size, prev.size)
            cut = vertical_rules and _vertical_rule_between(vertical_rules, prev.x1, g.x0, g.cy)
            if not cut and gap > NARROW_GUTTER * size and (
                    _on_gutter(gutters, prev.x1, g.x0) or _empty_strip(rows, r, (prev.x1 + g.x0) / 2, size)):
                cut = True  # the page's gutters: where many rows have a gap, or no row has text, at that place
            elif not cut and gap > LINE_GAP * size:
                cut = not _text_across(rows, r, current[0].x0, prev.x1, g.x0, size, gutters)
            elif not cut and gap > NARROW_GUTTER * size:  # a narrow gutter shows as the same gap in the rows beside
                cut = _gap_beside(rows, r, prev.x1, g.x0, size)
            if cut:
                lines.append(_line(current))
                current = [g]
            else:
                current.append(g)
        lines.append(_line(current))
    return lines


GUTTER_ROWS = 6  # a gap at the same place in this many rows is a gutter of the page


def _gutters(rows: list[list[_Glyph]]) -> list[float]:
    """Positions of the page's column gutters: gap middles (gaps wider than ``NARROW_GUTTER``
    ems) shared, within 2 points, by at least ``GUTTER_ROWS`` rows."""
    from collections import Counter

    counts: Counter[int] = Counter()
    for row in rows:
        seen = set()
        for prev, g in zip(row, row[1:]):
            if g.x0 - prev.x1 > NARROW_GUTTER * max(g.size, prev.size):
                seen.add(round((prev.x1 + g.x0) / 2))
        counts.update(seen)
    gutters = []
    for x in sorted(counts):
        near = sum(counts.get(x + d, 0) for d in (-2, -1, 0, 1, 2))
        if near >= GUTTER_ROWS and counts[x] == max(counts.get(x + d, 0) for d in (-2, -1, 0, 1, 2)):
            if not gutters or x - gutters[-1] > 2:
                gutters.append(float(x))
    return gutters


def _empty_strip(rows: list[list[_Glyph]], r: int, x: float, size: float) -> bool:
    """No character of the rows within six ems above and below row ``r`` covers ``x``, and
    three or more of them have text just left of it and three just right: a gutter, though the
    columns beside it print on other baselines."""
    left = right = 0
    for k in _rows_near(rows, r, size, span=6.0, most=None):
        row = rows[k]
        if any(g.x0 - 0.1 * g.size <= x <= g.x1 + 0.1 * g.size for g in row):
            return False
        left += any(x - 3 * size < g.x1 < x for g in row)
        right += any(x < g.x0 < x + 3 * size for g in row)
    return left >= 3 and right >= 3


def _on_gutter(gutters: list[float], a: float, b: float) -> bool:
    """A gap from ``a`` to ``b`` lies over one of the page's gutters."""
    return any(a - 2 <= x <= b + 2 for x in gutters)


def _rows_near(rows: list[list[_Glyph]], r: int, size: float, *, span: float = 2.6,
               most: int | None = 24) -> list[int]:
    """Rows within ``span`` ems above and below row ``r`` (``most`` of them at the most), nearest
    first (rows of other columns, on other baselines, lie between them)."""
    cy = rows[r][0].cy
    near: list[int] = []
    for step in (-1, 1):
        k = r + step
        while 0 <= k < len(rows) and abs(rows[k][0].cy - cy) <= span * size and (most is None or len(near) < most):
            near.append(k)
            k += step
    return sorted(near, key=lambda k: abs(rows[k][0].cy - cy))


def _gap_beside(rows: list[list[_Glyph]], r: int, a: float, b: float, size: float) -> bool:
    """Whether a row just above or below row ``r``, in type of about ``size``, has a gap over
    the middle of the gap from ``a`` to ``b`` with text within an em on both sides of it."""
    mid = (a + b) / 2
    for k in _rows_near(rows, r, size):
        same = [g for g in rows[k] if abs(g.size - size) <= 0.06 * size]
        if any(g.x0 < mid < g.x1 for g in same):
            continue
        if any(a - size <= g.x1 <= mid for g in same) and any(mid <= g.x0 <= b + size for g in same):
            return True
    return False


def _text_across(rows: list[list[_Glyph]], r: int, start: float, a: float, b: float, size: float,
                 gutters: list[float] = ()) -> bool:
    """Whether a row just above or below row ``r``, in type of about ``size``, prints text
    from about ``start`` (where this line begins) right across the gap from ``a`` to ``b``,
    with no gap of its own wider than an em: the line above or below in the same column."""
    for k in _rows_near(rows, r, size):
        reach = None
        for g in rows[k]:
            if abs(g.size - size) > 0.06 * size or g.x1 < min(a, start + 2 * size) - size:
                continue
            if reach is None:
                if g.x0 > min(a, start + 2 * size) + 0.5 * size:
                    break
                reach = g.x1
            elif g.x0 - reach > 0.9 * size or g.x0 - reach > NARROW_GUTTER * size and _on_gutter(gutters, reach, g.x0):
                break
            else:
                reach = max(reach, g.x1)
            if reach >= b - 0.5 * size:
                return True
    return False


def _line(glyphs: list[_Glyph]) -> TextLine:
    parts = [glyphs[0].ch]
    for prev, g in zip(glyphs, glyphs[1:]):
        gap = g.x0 - prev.x1
        # a space between Latin words; between Chinese characters only a wide gap (names in a
        # byline, a headline's two phrases): the splitter drops layout spaces as on text pages
        if (g.space or gap > 0.2 * g.size) and _latin(prev.ch) and _latin(g.ch) or gap > 0.6 * g.size or (
                g.space and gap > 0.1 * g.size):
            parts.append(" ")
        parts.append(g.ch)
    sizes = sorted(g.size for g in glyphs)
    return TextLine(text="".join(parts), x0=glyphs[0].x0, top=min(g.top for g in glyphs),
                    x1=max(g.x1 for g in glyphs), bottom=max(g.bottom for g in glyphs),
                    size=sizes[len(sizes) // 2], bold=sum(g.bold for g in glyphs) * 2 > len(glyphs))


def _page_layout(page, number: int, path: Path) -> PageLayout:
    width, height = page.get_size()
    rules, images = _graphics(page, height)
    glyphs = _glyphs(page, height, path, number)
    return PageLayout(width=width, height=height, lines=group_lines(glyphs, rules),
                      rules=rules, images=images, number=number)
