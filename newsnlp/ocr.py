"""OCR output (hOCR, ALTO) and page scans -> :class:`newsnlp.layout.PageLayout`.

- **hOCR** (Tesseract's HTML): ``ocr_page`` gives the page size, each ``ocr_line``
  (also ``ocr_header``, ``ocr_caption``, ``ocr_textfloat``) its ``bbox`` and ``x_size``
  (the type size in pixels), its ``ocrx_word`` spans the text.
- **ALTO** XML v2-v4 (Chronicling America, Europeana, impresso, Tesseract): ``Page``
  ``WIDTH``/``HEIGHT``, each ``TextLine`` its ``HPOS``/``VPOS``/``WIDTH``/``HEIGHT`` and
  ``String`` children; the type size from the line's ``TextStyle`` (``FONTSIZE``) where
  the file has styles, else the line's height.  ``Illustration``/``GraphicalElement``
  are pictures.  A METS folder with one ALTO file per page is a folder of pages.
- **Scans** (PNG, JPEG, TIFF) and PDFs without a text layer run through Tesseract
  (``tesseract IMAGE - -l chi_sim hocr``, a subprocess) and go on as hOCR.

Words are joined without spaces between Chinese characters and with one space
between Latin words, as a PDF's text layer would give them.
"""
from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

from newsnlp.errors import InputError
from newsnlp.layout import PageLayout, TextLine

IMAGE_SUFFIXES = {".png", ".jpg", ".jpeg", ".tif", ".tiff", ".bmp", ".webp"}
OCR_SUFFIXES = {".hocr", ".xml", ".alto"}
TESSERACT_LANG = "chi_sim"
SCAN_DPI = 300
_LINE_CLASSES = {"ocr_line", "ocr_header", "ocr_caption", "ocr_textfloat"}
_BBOX = re.compile(r"bbox (\d+) (\d+) (\d+) (\d+)")
_WCONF = re.compile(r"x_wconf (\d+)")
MIN_CONFIDENCE = 40  # a line whose words Tesseract trusts less than this on average is noise


def is_image(path: Path) -> bool:
    return path.suffix.lower() in IMAGE_SUFFIXES


def ocr_kind(path: Path) -> str | None:
    """``"hocr"`` or ``"alto"`` when the file is OCR output (by its first bytes), else None."""
    if path.is_dir() or not path.exists():
        return None
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", "ignore")
    except OSError:
        return None
    if re.search(r"<alto[\s>]", head):
        return "alto"
    if "ocr_page" in head or path.suffix.lower() == ".hocr" and "<html" in head.lower():
        return "hocr"
    return None


def _join_words(words: list[str]) -> str:
    out = ""
    for word in words:
        word = word.strip()
        if not word:
            continue
        if out and re.match(r"[A-Za-z0-9]", word[0]) and re.search(r"[A-Za-z0-9.,;:%]$", out):
            out += " "
        out += word
    return out


def read_hocr(text: str, *, source: str = "<hocr>") -> list[PageLayout]:
    """hOCR -> one PageLayout per ``ocr_page``."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(text, "html.parser")
    pages = []
    for number, page in enumerate(soup.find_all(class_="ocr_page"), 1):
        m = _BBOX.search(page.get("title") or "")
        if not m:
            raise InputError(f"{source}: hOCR page {number} has no bbox")
        width, height = float(m.group(3)), float(m.group(4))
        lines = []
        for tag in page.find_all(class_=lambda c: c in _LINE_CLASSES):
            title = tag.get("title") or ""
            box = _BBOX.search(title)
            if not box:
                continue
            x0, top, x1, bottom = (float(v) for v in box.groups())
            word_tags = tag.find_all(class_="ocrx_word")
            confidences = [float(m.group(1)) for w in word_tags for m in [_WCONF.search(w.get("title") or "")] if m]
            if confidences and sum(confidences) / len(confidences) < MIN_CONFIDENCE:
                continue  # specks and rules read as letters
            line_text = _join_words([w.get_text() for w in word_tags] or [tag.get_text()])
            if not line_text:
                continue
            # the line's height: steadier across lines of one type than Tesseract's x_size estimate
            lines.append(TextLine(line_text, x0, top, x1, bottom, bottom - top))
        images = []
        for tag in page.find_all(class_=lambda c: c in ("ocr_image", "ocr_photo", "ocr_separator")):
            box = _BBOX.search(tag.get("title") or "")
            if box:
                images.append(tuple(float(v) for v in box.groups()))
        pages.append(PageLayout(width=width, height=height, lines=lines, images=images, number=number,
                                exact_sizes=False))
    if not pages:
        raise InputError(f"{source}: no ocr_page in this hOCR file")
    return pages


def _local(tag: str) -> str:
    return tag.rsplit("}", 1)[-1]


def read_alto(data: bytes | str, *, source: str = "<alto>") -> list[PageLayout]:
    """ALTO XML (v2-v4) -> one PageLayout per ``Page``."""
    import xml.etree.ElementTree as ET

    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise InputError(f"{source}: not well-formed ALTO XML ({exc})") from None
    styles: dict[str, float] = {}
    for el in root.iter():
        if _local(el.tag) == "TextStyle" and el.get("FONTSIZE"):
            try:
                styles[el.get("ID") or ""] = float(el.get("FONTSIZE"))
            except ValueError:
                pass
    pages = []
    for number, page in enumerate((el for el in root.iter() if _local(el.tag) == "Page"), 1):
        try:
            width, height = float(page.get("WIDTH") or 0), float(page.get("HEIGHT") or 0)
        except ValueError:
            width = height = 0.0
        lines, images = [], []
        for el in page.iter():
            name = _local(el.tag)
            if name in ("Illustration", "GraphicalElement"):
                box = _box(el)
                if box:
                    images.append(box)
            elif name == "TextLine":
                box = _box(el)
                words = [s.get("CONTENT") or "" for s in el if _local(s.tag) == "String"]
                line_text = _join_words(words)
                if not box or not line_text:
                    continue
                size = _alto_size(el, styles)
                lines.append(TextLine(line_text, box[0], box[1], box[2], box[3], size or box[3] - box[1]))
        if not width or not height:
            width = max((ln.x1 for ln in lines), default=0.0)
            height = max((ln.bottom for ln in lines), default=0.0)
        pages.append(PageLayout(width=width, height=height, lines=lines, images=images, number=number,
                                exact_sizes=False))
    if not pages:
        raise InputError(f"{source}: no Page in this ALTO file")
    return pages


def _box(el) -> tuple[float, float, float, float] | None:
    try:
        x, y, w, h = (float(el.get(k)) for k in ("HPOS", "VPOS", "WIDTH", "HEIGHT"))
    except (TypeError, ValueError):
        return None
    return (x, y, x + w, y + h)


def _alto_size(line, styles: dict[str, float]) -> float | None:
    """FONTSIZE of the line's style (or of its first String's), when the file has styles."""
    if not styles:
        return None
    refs = (line.get("STYLEREFS") or "").split()
    for s in line:
        if _local(s.tag) == "String":
            refs += (s.get("STYLEREFS") or s.get("STYLE") or "").split()
            break
    sizes = [styles[r] for r in refs if r in styles]
    return sizes[0] if sizes else None


def read_ocr_file(path: Path, kind: str) -> Iterator[PageLayout]:
    """The pages of an hOCR or ALTO file."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    if kind == "alto":
        yield from read_alto(data, source=str(path))
    else:
        yield from read_hocr(data.decode("utf-8", "replace"), source=str(path))


def tesseract_path() -> str:
    """The tesseract program with Chinese data, or InputError saying what to install."""
    exe = shutil.which("tesseract")
    if exe is None:
        raise InputError("--ocr needs Tesseract: install it with `apt-get install tesseract-ocr "
                         "tesseract-ocr-chi-sim` (or your system's packages of the same names)")
    return exe


def run_tesseract(image: Path, *, lang: str = TESSERACT_LANG, formats: tuple[str, ...] = ("hocr",),
                  out_base: Path | None = None) -> dict[str, Path]:
    """Run Tesseract on one image, writing ``out_base.hocr`` (and ``.xml`` for ``alto``)."""
    exe = tesseract_path()
    out_base = out_base or image.with_suffix("")
    cmd = [exe, str(image), str(out_base), "-l", lang, "--psm", "3", *formats]
    proc = subprocess.run(cmd, capture_output=True, text=True)
    if proc.returncode != 0:
        message = (proc.stderr.strip().splitlines() or ["failed"])[-1]
        if "Failed loading language" in proc.stderr or "Error opening data file" in proc.stderr:
            message = f"no Tesseract data for {lang} (install tesseract-ocr-chi-sim)"
        raise InputError(f"{image}: tesseract: {message}")
    return {f: out_base.with_suffix(".xml" if f == "alto" else f".{f}") for f in formats}


def image_rules(image) -> list[tuple[float, float, float, float]]:
    """Rules printed on a page scan (a PIL image): runs of dark pixels at least a quarter of the
    page wide (or a sixth of it high) and a few pixels thick.  hOCR does not report them, and
    they part articles that white space alone does not."""
    import numpy as np

    dark = np.asarray(image.convert("L")) < 128
    height, width = dark.shape
    rules = []
    for axis, length, span in ((1, width, 0.25), (0, height, 1 / 6)):
        grid = dark if axis == 1 else dark.T
        for index, row in enumerate(grid):
            if row.sum() < span * length:
                continue
            edges = np.flatnonzero(np.diff(np.concatenate(([0], row.view(np.int8), [0]))))
            for start, end in zip(edges[::2], edges[1::2]):
                if end - start >= span * length:
                    rules.append((start, index, end, index + 1) if axis == 1 else (index, start, index + 1, end))
    return _merge_rules(rules)


def image_pictures(image, *, cell: int = 8) -> list[tuple[float, float, float, float]]:
    """Pictures on a page scan (a PIL image): large areas inked all over (a photo, a grey box),
    found on a grid of ``cell``-pixel squares; text never fills its squares so."""
    import numpy as np
    from scipy import ndimage

    grey = np.asarray(image.convert("L"))
    h, w = (grey.shape[0] // cell) * cell, (grey.shape[1] // cell) * cell
    inked = (grey[:h, :w] < 235).reshape(h // cell, cell, w // cell, cell).mean(axis=(1, 3)) > 0.95
    labels, n = ndimage.label(inked)
    pictures = []
    for k, (rows, cols) in enumerate(ndimage.find_objects(labels), 1):
        if rows.stop - rows.start >= 12 and cols.stop - cols.start >= 12:
            area = (labels[rows, cols] == k).mean()
            if area > 0.8:
                pictures.append((float(cols.start * cell), float(rows.start * cell),
                                 float(cols.stop * cell), float(rows.stop * cell)))
    return pictures


def _merge_rules(rules: list[tuple[int, int, int, int]]) -> list[tuple[float, float, float, float]]:
    """Pixel rows of one thick rule -> one rule."""
    merged: list[list[float]] = []
    for x0, y0, x1, y1 in sorted(rules, key=lambda r: (r[2] - r[0] < r[3] - r[1], r[1], r[0])):
        for m in merged:
            if abs(m[0] - x0) <= 4 and abs(m[2] - x1) <= 4 and y0 <= m[3] + 1 and x0 <= m[2] + 1 and (
                    (m[2] - m[0] > m[3] - m[1]) == (x1 - x0 > y1 - y0)):
                m[1], m[3] = min(m[1], y0), max(m[3], y1)
                break
            if abs(m[1] - y0) <= 4 and abs(m[3] - y1) <= 4 and x0 <= m[2] + 1 and (m[3] - m[1] > m[2] - m[0]):
                m[0], m[2] = min(m[0], x0), max(m[2], x1)
                break
        else:
            merged.append([x0, y0, x1, y1])
    return [tuple(float(v) for v in m) for m in merged if max(m[2] - m[0], m[3] - m[1]) > 8 * min(m[2] - m[0], m[3] - m[1])]


def _ocr_image(image_path: Path, source: str, number: int = 1) -> PageLayout:
    """Tesseract's hOCR of one image, with the rules found on the image."""
    with tempfile.TemporaryDirectory(prefix="newsnlp-ocr-") as tmp:
        out = run_tesseract(image_path, out_base=Path(tmp) / "page")["hocr"]
        layout = read_hocr(out.read_text(encoding="utf-8"), source=source)[0]
    try:
        from PIL import Image
    except ImportError:  # rules are a help, not a need
        pass
    else:
        with Image.open(image_path) as image:
            layout.rules = image_rules(image)
            layout.images = [*layout.images, *image_pictures(image)]
    layout.number = number
    return layout


def read_scan(path: Path) -> Iterator[PageLayout]:
    """OCR one page scan with Tesseract and read its hOCR (and its rules, with Pillow)."""
    if not path.exists():
        raise InputError(f"{path}: no such file")
    yield _ocr_image(path, str(path))


def read_pdf_scans(path: Path) -> Iterator[PageLayout]:
    """Render each page of a PDF at 300 dpi (PDFium) and OCR it: for PDFs without a text layer."""
    import pypdfium2 as pdfium

    from newsnlp.pdf import _open

    tesseract_path()
    try:
        import PIL  # noqa: F401  (pypdfium2 hands rendered pages over as Pillow images)
    except ImportError:
        raise InputError("--ocr on a PDF needs Pillow to render its pages: pip install pillow") from None
    pdf = _open(path)
    try:
        for index in range(len(pdf)):
            page = pdf[index]
            try:
                image = page.render(scale=SCAN_DPI / 72).to_pil()
            finally:
                page.close()
            with tempfile.TemporaryDirectory(prefix="newsnlp-ocr-") as tmp:
                png = Path(tmp) / "page.png"
                image.save(png)
                layout = _ocr_image(png, str(path), index + 1)
            yield layout
    except pdfium.PdfiumError as exc:
        raise InputError(f"{path}: {exc}") from None
    finally:
        pdf.close()
