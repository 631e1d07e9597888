"""Bytes -> text: encoding detection for plain-text pages, HTML pages of online editions.

Plain text may be UTF-8, GB18030/GBK or Big5; the encoding is detected with
charset-normalizer, never guessed.  An HTML page becomes a Page with one article
(title, byline, paragraphs) built with BeautifulSoup.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from newsnlp.errors import InputError

PAGE_SUFFIXES = {".txt", ".text", ".htm", ".html", ".xhtml"}
HTML_SUFFIXES = {".htm", ".html", ".xhtml"}
# Encodings a Chinese newspaper page comes in; detection is limited to these so that
# short GBK texts are not mistaken for some Cyrillic code page.
CANDIDATE_ENCODINGS = ["utf_8", "gb18030", "big5", "utf_16", "big5hkscs"]


@dataclass
class Document:
    """A decoded input file: its text, and whether it is an HTML page."""

    path: Path
    text: str
    encoding: str
    is_html: bool


def decode(data: bytes, name: str) -> tuple[str, str]:
    """Decode page bytes; raise InputError for binary or undecodable data."""
    if not data.strip():
        raise InputError(f"{name}: empty file")
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if not data.startswith((b"\xff\xfe", b"\xfe\xff")) and b"\x00" in data[:4096]:
        raise InputError(f"{name}: binary file, not a text or HTML page")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data, cp_isolation=CANDIDATE_ENCODINGS).best()
    if best is None:
        raise InputError(f"{name}: cannot decode as UTF-8, GB18030 or Big5 text")
    encoding = best.encoding
    if encoding in ("gb2312", "gbk"):
        encoding = "gb18030"  # superset: decodes every GBK page and more
    text = data.decode(encoding, errors="strict")
    if _control_ratio(text) > 0.05:
        raise InputError(f"{name}: binary file, not a text or HTML page")
    if _readable_ratio(text) < 0.6:
        raise InputError(f"{name}: cannot decode as UTF-8, GB18030 or Big5 text")
    return text, encoding


def _control_ratio(text: str) -> float:
    sample = text[:4096]
    bad = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\n\r\t\f")
    return bad / max(1, len(sample))


def _readable_ratio(text: str) -> float:
    """Share of characters a Chinese page is made of: CJK, ASCII, CJK and full-width punctuation."""
    sample = text[:4096]
    good = sum(
        1 for ch in sample
        if ch < "\x7f" or "\u4e00" <= ch <= "\u9fff" or "\u3000" <= ch <= "\u303f"
        or "\uff00" <= ch <= "\uffef" or "\u2010" <= ch <= "\u2027" or ch in "\u00a0\u00b7"
    )
    return good / max(1, len(sample))


def read_document(path: str | Path) -> Document:
    """Read and decode one page file."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{path}: is a directory (ingest takes folders; parse takes one file)")
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read ({exc.strerror})") from None
    text, encoding = decode(data, str(path))
    head = text.lstrip()[:512].lower()
    is_html = path.suffix.lower() in HTML_SUFFIXES or head.startswith(("<!doctype html", "<html"))
    return Document(path=path, text=text, encoding=encoding, is_html=is_html)


@dataclass
class HtmlArticle:
    """What an online edition's article page gives: headline, byline text, paragraphs."""

    headline: str
    subtitle: str | None
    byline: str | None
    paragraphs: list[str]


_BYLINE_HINTS = ("author", "byline", "writer", "editor", "source", "reporter")


def parse_html(html: str) -> HtmlArticle:
    """Extract title, byline and body paragraphs from an article page."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(html, "html.parser")
    for tag in soup(["script", "style", "noscript", "nav", "footer", "header", "aside", "form"]):
        tag.decompose()
    h1 = soup.find("h1")
    title_tag = soup.find("title")
    headline = (h1.get_text(" ", strip=True) if h1 else "") or (title_tag.get_text(" ", strip=True) if title_tag else "")
    h2 = soup.find("h2")
    subtitle = h2.get_text(" ", strip=True) if h2 else None
    byline = None
    for tag in soup.find_all(True):
        ident = " ".join([*(tag.get("class") or []), tag.get("id") or "", tag.get("itemprop") or ""]).lower()
        if any(h in ident for h in _BYLINE_HINTS):
            text = tag.get_text(" ", strip=True)
            if text and len(text) <= 80:
                byline = text
                break
    container = soup.find("article") or soup.body or soup
    paragraphs = [p.get_text(" ", strip=True) for p in container.find_all("p")]
    if not paragraphs:  # pages that separate paragraphs with <br> only
        paragraphs = [line for line in container.get_text("\n").split("\n")]
    paragraphs = [p for p in paragraphs if p.strip() and p.strip() != byline]
    return HtmlArticle(headline=headline, subtitle=subtitle, byline=byline, paragraphs=paragraphs)
