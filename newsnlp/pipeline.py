"""The pipeline as one call: text or file in, a Page with articles and facts out.

Stages run in one direction: read -> tidy -> split (articles) -> extract -> topics.
Each stage is a module of its own; this file only chains them.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from newsnlp import read, split, tidy
from newsnlp.errors import InputError
from newsnlp.model import Page

_DATE_IN_NAME = re.compile(r"(?<!\d)((?:19|20)\d\d)[-_.]?(0[1-9]|1[0-2])[-_.]?(0[1-9]|[12]\d|3[01])(?!\d)")


def date_from_filename(name: str) -> str | None:
    """``2022-10-12``, ``20221012`` or ``2022_10_12`` in a file name -> ``2022-10-12``."""
    m = _DATE_IN_NAME.search(Path(name).name)
    return f"{m.group(1)}-{m.group(2)}-{m.group(3)}" if m else None


def parse_text(
    text: str,
    *,
    source: str = "<text>",
    paper: str | None = None,
    page: str | None = None,
    publication_date: str | None = None,
    analyze: bool = True,
    topics_model: str | Path | None = None,
    userdict: str | Path | None = None,
) -> Page:
    """Parse the text of one OCR'd page into a :class:`Page`."""
    lines = tidy.tidy_lines(text)
    result = split.split_page(lines, source=source)
    # Explicit date, else the file name's, else the date printed in the page furniture.
    return _finish(result, paper=paper, page=page, publication_date=publication_date, analyze=analyze,
                   topics_model=topics_model, userdict=userdict)


def _finish(result: Page, *, paper, page, publication_date, analyze, topics_model, userdict) -> Page:
    """What every parse ends with: the page's paper, number and date (given ones win over
    those read off the page), then facts and topics."""
    result.paper = paper
    result.page = page or result.page
    result.publication_date = publication_date or result.publication_date
    if analyze:
        enrich(result, topics_model=topics_model, userdict=userdict)
    return result


def parse_layout(
    layout,
    *,
    source: str = "<layout>",
    paper: str | None = None,
    page: str | None = None,
    publication_date: str | None = None,
    analyze: bool = True,
    topics_model: str | Path | None = None,
    userdict: str | Path | None = None,
) -> Page:
    """Parse one page with geometry (a :class:`newsnlp.layout.PageLayout` from a PDF or OCR
    reader) into a :class:`Page`; articles and blocks carry their boxes."""
    from newsnlp import layout as layout_mod

    result = split.split_page(layout_mod.page_lines(layout), source=source)
    result.width, result.height, result.number = round(layout.width, 1), round(layout.height, 1), layout.number
    return _finish(result, paper=paper, page=page, publication_date=publication_date, analyze=analyze,
                   topics_model=topics_model, userdict=userdict)


def read_layouts(path: str | Path, *, ocr: bool = False) -> Iterator:
    """The pages with geometry of a PDF, hOCR or ALTO file (or, with ``ocr``, a page scan run
    through Tesseract), one :class:`newsnlp.layout.PageLayout` at a time; None for a plain
    text or HTML page."""
    from newsnlp import ocr as ocr_mod, pdf

    path = Path(path)
    if ocr_mod.is_image(path):
        if not ocr:
            raise InputError(f"{path}: a page scan; pass --ocr to run it through Tesseract")
        return ocr_mod.read_scan(path)
    if pdf.is_pdf(path):
        if ocr:
            return ocr_mod.read_pdf_scans(path)
        return pdf.read_pdf(path)
    kind = ocr_mod.ocr_kind(path)
    if kind is not None:
        return ocr_mod.read_ocr_file(path, kind)
    return None


def parse_pages(
    path: str | Path,
    *,
    paper: str | None = None,
    page: str | None = None,
    publication_date: str | None = None,
    analyze: bool = True,
    topics_model: str | Path | None = None,
    userdict: str | Path | None = None,
    ocr: bool = False,
) -> Iterator[Page]:
    """Every page of a file, parsed: one for a text or HTML page, one per page of a PDF or an
    OCR file (hOCR, ALTO), read and parsed one page at a time.  Pages of a file with
    geometry have the source ``PATH#page=N``."""
    path = Path(path)
    layouts = read_layouts(path, ocr=ocr)
    options = dict(paper=paper, page=page, publication_date=publication_date, analyze=analyze,
                   topics_model=topics_model, userdict=userdict)
    if layouts is None:
        yield parse_file(path, **options)
    else:
        yield from _layout_pages(path, layouts, **options)


def _layout_pages(path: Path, layouts, *, publication_date: str | None, **options) -> Iterator[Page]:
    """Parse the pages with geometry read from ``path``; sources ``PATH#page=N``."""
    publication_date = publication_date or date_from_filename(path.name)
    for layout in layouts:
        yield parse_layout(layout, source=f"{path.resolve()}#page={layout.number}",
                           publication_date=publication_date, **options)


def parse_file(
    path: str | Path,
    *,
    paper: str | None = None,
    page: str | None = None,
    publication_date: str | None = None,
    analyze: bool = True,
    topics_model: str | Path | None = None,
    userdict: str | Path | None = None,
) -> Page:
    """Read a page file (plain text in any common Chinese encoding, or HTML) and parse it.

    The publication date is ``publication_date`` if given, else read from the file name.
    Raises :class:`newsnlp.errors.InputError` for binary, empty or undecodable files.
    """
    path = Path(path)
    layouts = read_layouts(path)
    if layouts is not None:
        pages = list(_layout_pages(path, layouts, paper=paper, page=page, publication_date=publication_date,
                                   analyze=analyze, topics_model=topics_model, userdict=userdict))
        if len(pages) != 1:
            raise InputError(f"{path}: {len(pages)} pages; use parse_pages() for a file of several pages")
        return pages[0]
    doc = read.read_document(path)
    publication_date = publication_date or date_from_filename(path.name)
    source = str(path.resolve())
    if not doc.is_html:
        return parse_text(doc.text, source=source, paper=paper, page=page,
                          publication_date=publication_date, analyze=analyze,
                          topics_model=topics_model, userdict=userdict)
    result = split.page_from_html(read.parse_html(doc.text), source=source)
    return _finish(result, paper=paper, page=page, publication_date=publication_date, analyze=analyze,
                   topics_model=topics_model, userdict=userdict)


def enrich(page: Page, *, topics_model: str | Path | None = None, userdict: str | Path | None = None) -> Page:
    """Add facts (extract stage) and topics (topics stage) to every article."""
    from newsnlp import extract, topics

    for article in page.articles:
        extract.annotate_article(article, publication_date=page.publication_date, userdict=userdict)
    topics.tag_articles(page.articles, topics.load_model(topics_model))
    return page
