"""Searching an archive: :class:`Archive` with ``search``, ``get``, ``stats``, ``iter_matching_ids``.

>>> from newsnlp.index import Archive
>>> archive = Archive("newsnlp-archive")                       # doctest: +SKIP
>>> result = archive.search('"新年讲话" OR person:江泽民', date_from="1998-01", facets=["topic"])  # doctest: +SKIP
>>> result.total, result.hits[0].headline                      # doctest: +SKIP

Query language (Whoosh's): words (all must match), ``"phrases"``, ``AND``/``OR``/``NOT``,
parentheses, ``field:value`` for headline, body, person, place, org, official, topic,
reporter, paper, term (quoted terms).  Each word is looked up both as a jieba word and
as character bigrams; word matches score higher.
"""
from __future__ import annotations

import calendar
import datetime as dt
import heapq
import html
import re
import threading
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from itertools import chain
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from whoosh import query as Q
from whoosh.qparser import AndGroup, FieldAliasPlugin, MultifieldParser

from newsnlp.errors import ArchiveError, NewsnlpError
from newsnlp.index.analysis import bigram_tokens, has_traditional, normalize, normalize_query
from newsnlp.index.docsets import matching_docs, ranked_docs, top_docs
from newsnlp.index.schema import BIGRAM_TWIN, FACET_FIELDS, FIELD_ALIASES, TEXT_FIELDS
from newsnlp.index.store import IndexWriter, open_index, page_documents
from newsnlp.model import Article, Page
from newsnlp.store import PageStore, page_key

Sort = Literal["relevance", "date"]

SNIPPET_CHARS = 120


class QueryError(NewsnlpError):
    """A search query that cannot be parsed."""


@dataclass
class Hit:
    """One matching article."""

    id: str
    score: float
    headline: str
    publication_date: str | None
    paper: str | None
    page: str | None
    snippet: str  # plain text
    highlights: list[tuple[int, int]] = field(default_factory=list)  # spans of ``snippet``
    topics: list[str] = field(default_factory=list)
    source: str | None = None
    position: int | None = None

    def marked_snippet(self, before: str = "[", after: str = "]", escape=None) -> str:
        """The snippet with each highlighted span wrapped in ``before``/``after``."""
        esc = escape or (lambda s: s)
        out, last = [], 0
        for start, end in self.highlights:
            out += [esc(self.snippet[last:start]), before, esc(self.snippet[start:end]), after]
            last = end
        out.append(esc(self.snippet[last:]))
        return "".join(out)

    def to_dict(self) -> dict[str, Any]:
        return {"id": self.id, "score": round(self.score, 4), "headline": self.headline,
                "publication_date": self.publication_date, "paper": self.paper, "page": self.page,
                "snippet": self.marked_snippet("<mark>", "</mark>", lambda s: html.escape(s, quote=False)),
                "topics": self.topics}


@dataclass
class FacetCount:
    value: str
    count: int


@dataclass
class SearchResult:
    """``total`` matching articles, the top ``hits`` and the requested ``facets``."""

    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetCount]] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"total": self.total, "hits": [h.to_dict() for h in self.hits],
                "facets": {k: [{"value": f.value, "count": f.count} for f in v] for k, v in self.facets.items()}}


@dataclass
class ArchivedArticle:
    """An article as stored, with the page facts that locate it."""

    id: str
    paper: str | None
    page: str | None
    section: str | None
    publication_date: str | None
    source: str | None
    position: int | None
    article: Article


@dataclass
class ArchiveStats:
    articles: int
    pages: int
    by_year: dict[str, int]
    by_paper: dict[str, int]
    by_topic: dict[str, int]
    top_persons: list[FacetCount]
    top_orgs: list[FacetCount]

    def to_dict(self) -> dict[str, Any]:
        return {"articles": self.articles, "pages": self.pages, "by_year": self.by_year,
                "by_paper": self.by_paper, "by_topic": self.by_topic,
                "top_persons": [[f.value, f.count] for f in self.top_persons],
                "top_orgs": [[f.value, f.count] for f in self.top_orgs]}


# ---------------------------------------------------------------- dates

_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{1,2}))?(?:-(\d{1,2}))?$")


def date_bounds(value: str) -> tuple[dt.datetime, dt.datetime]:
    """``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD`` -> first and last moment of that period."""
    m = _PARTIAL_DATE.match(value.strip())
    if not m:
        raise QueryError(f"{value!r} is not a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    year, month, day = int(m.group(1)), m.group(2), m.group(3)
    try:
        if day:
            start = dt.datetime(year, int(month), int(day))
            end = start
        elif month:
            start = dt.datetime(year, int(month), 1)
            end = dt.datetime(year, int(month), calendar.monthrange(year, int(month))[1])
        else:
            start, end = dt.datetime(year, 1, 1), dt.datetime(year, 12, 31)
    except ValueError:
        raise QueryError(f"{value!r} is not a valid date") from None
    return start, end.replace(hour=23, minute=59, second=59, microsecond=999999)


# ---------------------------------------------------------------- query parsing

_FIELD_PREFIX = re.compile(r'(?:^|[\s(])([A-Za-z_]+):')


def _check_syntax(text: str, known_fields: set[str]) -> None:
    if text.count('"') % 2:
        raise QueryError(f"unbalanced quote in query: {text}")
    depth = 0
    for ch in re.sub(r'"[^"]*"', "", text):
        depth += ch == "("
        depth -= ch == ")"
        if depth < 0:
            break
    if depth:
        raise QueryError(f"unbalanced parentheses in query: {text}")
    outside_quotes = re.sub(r'"[^"]*"', " x ", text)
    words = outside_quotes.replace("(", " ").replace(")", " ").split()
    if words and (words[0] in ("AND", "OR") or words[-1] in ("AND", "OR", "NOT")):
        raise QueryError(f"AND/OR/NOT needs a word on each side: {text}")
    for name in _FIELD_PREFIX.findall(outside_quotes):
        if name not in known_fields:
            public = sorted(set(FIELD_ALIASES) | {"headline", "body", "paper", "page", "section", "year", "id"})
            raise QueryError(f"unknown field {name!r} in query (fields: {', '.join(public)})")


def _join_tokens(words: Iterable[str]) -> str:
    out = ""
    for w in words:
        if out and out[-1].isascii() and out[-1].isalnum() and w[:1].isascii() and w[:1].isalnum():
            out += " "
        out += w
    return out


def _bigram_query(fieldname: str, text: str, boost: float) -> Q.Query | None:
    grams = bigram_tokens(text, normalized=True)
    if not grams:
        return None
    if len(grams) == 1:
        return Q.Term(fieldname, grams[0], boost=boost)
    return Q.Phrase(fieldname, grams, boost=boost)


def _add_bigram_twins(q: Q.Query) -> Q.Query:
    """``headline:X`` (word field only) -> ``headline:X OR headline_bi:X``."""
    if isinstance(q, (Q.Term, Q.Phrase)) and q.fieldname in BIGRAM_TWIN:
        words = [q.text] if isinstance(q, Q.Term) else q.words
        twin = _bigram_query(BIGRAM_TWIN[q.fieldname], _join_tokens(words), boost=q.boost / 2)
        return Q.Or([q, twin]) if twin is not None else q
    if isinstance(q, Q.Or) and all(getattr(s, "fieldname", None) in TEXT_FIELDS for s in q.subqueries):
        return q  # a default-field word: already over words and bigrams
    if q.is_leaf():
        return q
    return q.apply(_add_bigram_twins)


def parse_query(text: str, schema) -> Q.Query:
    """Parse the user's query string; raises :class:`QueryError` for malformed input."""
    text = normalize_query(text).strip()
    if not text:
        return Q.Every()
    aliases: dict[str, list[str]] = {}
    for alias, target in FIELD_ALIASES.items():
        aliases.setdefault(target, []).append(alias)
    known = set(schema.names()) | set(FIELD_ALIASES)
    _check_syntax(text, known)
    parser = MultifieldParser(list(TEXT_FIELDS), schema, fieldboosts=TEXT_FIELDS, group=AndGroup)
    parser.add_plugin(FieldAliasPlugin(aliases))
    try:
        q = parser.parse(text)
    except Exception as exc:  # whoosh rarely raises, but never show a traceback
        raise QueryError(f"cannot parse query {text!r}: {exc}") from None
    q = _add_bigram_twins(q)
    if q is Q.NullQuery:
        raise QueryError(f"query {text!r} has no words to search for")
    return q


def _filters(*, date_from=None, date_to=None, topic=None, person=None, place=None, org=None,
             reporter=None, paper=None, official=None):
    """(query over the keyword filters or None, (first, last) datetimes or None)."""
    dates = None
    if date_from or date_to:
        start = date_bounds(date_from)[0] if date_from else dt.datetime(1, 1, 1)
        end = date_bounds(date_to)[1] if date_to else dt.datetime(9999, 12, 31)
        if start > end:
            raise QueryError(f"--from {date_from} is after --to {date_to}")
        dates = (start, end)
    parts: list[Q.Query] = []
    for fieldname, value in (("topics", topic), ("persons", person), ("places", place), ("orgs", org),
                             ("reporters", reporter), ("paper", paper), ("officials", official)):
        if not value:
            continue
        values = [value] if isinstance(value, str) else list(value)
        parts.append(Q.Or([Q.Term(fieldname, normalize(v).strip()) for v in values]))
    terms = None if not parts else parts[0] if len(parts) == 1 else Q.And(parts)
    return terms, dates


# ---------------------------------------------------------------- snippets

class _CharTable(dict):
    """``str.translate`` table: each character to its normalised form when that is one character
    (so offsets never move); filled lazily."""

    def __missing__(self, code: int):
        n = normalize(chr(code))
        value = self[code] = n if len(n) == 1 else code
        return value


_CHAR_TABLE = _CharTable()
_TABLE_END = 0x30000  # the planes of every character that normalisation changes but a few


@lru_cache(maxsize=1)
def _code_table():
    """:data:`_CHAR_TABLE` as a numpy array over the code points below ``_TABLE_END``.

    A character changes only when NFKC or case changes it or it is traditional; those are
    normalised here as :func:`normalize` does, the traditional ones in one OpenCC call."""
    import numpy as np

    from newsnlp.index.analysis import _t2s, _traditional_chars

    table = np.arange(_TABLE_END, dtype=np.uint32)
    changing = sorted({c for c in map(chr, range(_TABLE_END)) if not "\ud800" <= c <= "\udfff"
                       and (not unicodedata.is_normalized("NFKC", c) or c.lower() != c)}
                      | {c for c in _traditional_chars() if ord(c) < _TABLE_END})
    composed = [unicodedata.normalize("NFKC", c) for c in changing]
    simplified = _t2s().convert("\n".join(composed)).split("\n")
    if len(simplified) != len(composed):  # never seen; then one at a time
        simplified = [_t2s().convert(n) for n in composed]
    for c, n, t in zip(changing, composed, simplified):
        n = (t if has_traditional(n) else n).lower()
        if len(n) == 1:
            table[ord(c)] = ord(n)
    return table


_translated = [0]  # characters normalised through str.translate in this process
#: the table costs about 0.3 s to build, what translate spends on this many characters: a
#: process builds it once it has spent that much (a server soon, a one-off search never)
_TABLE_AFTER_CHARS = 8_000_000


def _normalize_chars(text: str) -> str:
    """``text.translate(_CHAR_TABLE)``, a character at a time, so offsets carry over; through a
    numpy table (some ten times faster) once a process has normalised enough text to pay for it."""
    if _translated[0] < _TABLE_AFTER_CHARS:
        _translated[0] += len(text)
        return text.translate(_CHAR_TABLE)
    import numpy as np

    codes = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
    if not len(codes) or codes.max() >= _TABLE_END:
        return text.translate(_CHAR_TABLE)
    return _code_table()[codes].tobytes().decode("utf-32-le")


_SNIPPET_FIELDS = ("headline", "body", "headline_bi", "body_bi")


def _highlight_terms(q: Q.Query) -> list[str]:
    """What a snippet marks: each phrase of the query whole, each word, nothing under NOT.

    A phrase of the bigram field (城乡 乡居 居民) is read back as its text (城乡居民).  Single
    characters are marked only when the query has nothing longer (never a lone 的 beside words).
    """
    units: set[str] = set()

    def walk(node: Q.Query) -> None:
        if isinstance(node, Q.Not):
            return
        if isinstance(node, Q.AndNot):
            walk(node.a)
            return
        fieldname = getattr(node, "fieldname", None)
        if isinstance(node, Q.Phrase) and fieldname in _SNIPPET_FIELDS and node.words:
            words = list(node.words)
            if fieldname.endswith("_bi"):
                units.add(words[0] + "".join(w[1:] for w in words[1:]))
            else:
                units.add(_join_tokens(words))
            return
        if isinstance(node, Q.Term) and fieldname in _SNIPPET_FIELDS:
            text = node.text.decode("utf-8") if isinstance(node.text, bytes) else str(node.text)
            units.add(text)
            return
        for child in node.children():
            walk(child)

    walk(q)
    units.discard("")
    if any(len(u) > 1 for u in units):
        units = {u for u in units if len(u) > 1}
    return sorted(units, key=len, reverse=True)


def make_snippet(text: str, terms: list[str], *, width: int = SNIPPET_CHARS) -> tuple[str, list[tuple[int, int]]]:
    """The window of ``text`` that shows the most distinct query ``terms`` (phrases whole), and
    the spans of the terms in it.

    Ties go to the window with more marked characters, then to the earlier one.
    """
    text = text.replace("\n", " ")
    if not terms:
        return text[:width], []
    normalized = _normalize_chars(text)  # same length as text: offsets carry over
    found: list[tuple[int, int, int]] = []  # (start, end, term index)
    for index, term in enumerate(terms):
        start = normalized.find(term)
        while start >= 0 and len(found) < 2000:
            found.append((start, start + len(term), index))
            start = normalized.find(term, start + len(term))
    if not found:
        return text[:width], []
    found.sort()
    # the occurrences inside a window are counted by bisection over each term's starts, so long
    # texts with thousands of occurrences cost n log n, not n squared
    starts: dict[int, list[int]] = {}
    for s, _, index in found:
        starts.setdefault(index, []).append(s)
    best_key, best_start = None, 0
    tried: set[int] = set()
    for s, e, _ in found:
        begin = max(0, min(s - width // 5, len(text) - width))
        if e - s > width or begin in tried:
            continue
        tried.add(begin)
        distinct = marked = 0
        for index, at in starts.items():
            size = len(terms[index])
            inside = bisect_right(at, begin + width - size) - bisect_left(at, begin)
            if inside > 0:
                distinct += 1
                marked += inside * size
        key = (distinct, marked, -begin)
        if best_key is None or key > best_key:
            best_key, best_start = key, begin
    window = text[best_start:best_start + width]
    merged: list[tuple[int, int]] = []
    for a, b, _ in found:
        if a < best_start or b > best_start + len(window):
            continue
        a, b = a - best_start, b - best_start
        if merged and a <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(b, merged[-1][1]))
        else:
            merged.append((a, b))
    return window, merged


# ---------------------------------------------------------------- the archive

def _iso(value) -> str | None:
    return value.date().isoformat() if isinstance(value, dt.datetime) else None


class Archive:
    """An archive directory: its stored pages and their index, in the engine the archive records
    (:mod:`newsnlp.index.engine`; Whoosh by default).  ``Archive(path)`` opens the right one:
    :class:`WhooshArchive` or :class:`~newsnlp.index.opensearch.OpenSearchArchive`, with the
    same methods and the same results.  Safe to share between threads."""

    def __new__(cls, path: str | Path, *args, **kwargs):
        if cls is Archive:
            from newsnlp.index.engine import read_settings

            if read_settings(path).engine == "opensearch":
                from newsnlp.index.opensearch import OpenSearchArchive

                cls = OpenSearchArchive
            else:
                cls = WhooshArchive
        return super().__new__(cls)

    def __init__(self, path: str | Path):
        self.path = Path(path)
        self.pages = PageStore(self.path)

    # -- writing
    def writer(self, *, lock_timeout: float = 0.0, procs: int = 1):
        """The archive's index writer (a context manager with ``replace_page``, ``commit``)."""
        raise NotImplementedError

    def add_pages(self, pages: Iterable[Page], *, lock_timeout: float = 0.0) -> int:
        """Store and index ``pages`` (replacing earlier versions); returns articles indexed."""
        n = 0
        with self.writer(lock_timeout=lock_timeout) as w:
            for page in pages:
                self.pages.save(page)
                n += w.replace_page(page_key(page.source), page_documents(page))
        return n

    def close(self) -> None:
        """Release what the archive holds open (searchers, connections)."""

    # -- reading
    def search(self, query: str | None = None, *, sort: Sort = "relevance", limit: int = 10,
               facets: Iterable[str] = (), facet_limit: int = 10, date_from: str | None = None,
               date_to: str | None = None, topic=None, person=None, place=None, org=None,
               reporter=None, paper=None, official=None) -> SearchResult:
        """Articles matching ``query`` and the filters, best first (or newest first with ``sort="date"``).

        Filters: ``date_from``/``date_to`` (``YYYY``, ``YYYY-MM`` or ``YYYY-MM-DD``, inclusive) and
        exact values of ``topic``, ``person``, ``place``, ``org``, ``reporter``, ``paper``,
        ``official`` (a string or a list meaning any of them).
        ``facets``: names from ``topic, person, place, org, official, reporter, paper, year``.
        ``total`` and the facet counts are exact: every match is counted.
        """
        if sort not in ("relevance", "date"):
            raise QueryError(f"unknown sort {sort!r} (relevance or date)")
        facets = [f.strip() for f in facets if f.strip()]
        for name in facets:
            if name not in FACET_FIELDS:
                raise QueryError(f"unknown facet {name!r} (known: {', '.join(FACET_FIELDS)})")
        filters = dict(date_from=date_from, date_to=date_to, topic=topic, person=person, place=place,
                       org=org, reporter=reporter, paper=paper, official=official)
        return self._search(query, sort=sort, limit=limit, facets=facets, facet_limit=facet_limit,
                            filters=filters)

    def _search(self, query, *, sort, limit, facets, facet_limit, filters) -> SearchResult:
        raise NotImplementedError

    def iter_matching(self, query: str | None = None, *, sort: Sort | None = None,
                      **filters) -> Iterator[tuple[str, str | None, int | None]]:
        """``(article id, page key, position on the page)`` of every matching article, streamed
        (the engine's order; ``sort="date"`` for oldest first)."""
        raise NotImplementedError

    def iter_matching_ids(self, query: str | None = None, *, sort: Sort | None = None, **filters) -> Iterator[str]:
        """Ids of every matching article, streamed (``sort="date"`` for oldest first)."""
        for article_id, _, _ in self.iter_matching(query, sort=sort, **filters):
            yield article_id

    def month_counts(self, query: str | None, filters: dict[str, Any]) -> Counter[str]:
        """Matching articles per ``YYYY-MM`` (months with none left out)."""
        raise NotImplementedError

    def similar(self, article_id: str, text: str, *, top: int = 5) -> list[dict[str, Any]]:
        """Articles whose body shares the most distinctive words with ``text`` (the article
        ``article_id``, itself left out): ``id``, ``headline``, ``publication_date``, ``paper``."""
        raise NotImplementedError

    def _stored(self, article_id: str) -> dict[str, Any] | None:
        """What the index keeps of one article (``page_key``, ``position``, ``headline``, ``text``,
        ``reporters``, ``topics``, ``paper``, ``page``, ``section``, ``source``, ISO
        ``publication_date``), or None."""
        raise NotImplementedError

    def get(self, article_id: str) -> ArchivedArticle:
        """One article by id, with its facts (read from the stored page)."""
        stored = self._stored(article_id)
        if stored is None:
            raise ArchiveError(f"no article with id {article_id!r} in {self.path}")
        page_path = self.pages.pages_dir / f"{stored['page_key']}.json"
        article = None
        if page_path.is_file():
            page = self.pages.load(page_path)
            pos = stored.get("position")
            if pos is not None and pos < len(page.articles) and page.articles[pos].id == article_id:
                article = page.articles[pos]
            else:
                article = next((a for a in page.articles if a.id == article_id), None)
        if article is None:  # page file gone: rebuild what the index stored
            from newsnlp.model import Block, Topic

            article = Article(id=article_id, headline=[stored.get("headline") or ""],
                              reporters=list(stored.get("reporters") or []),
                              body=[Block("p", t) for t in (stored.get("text") or "").split("\n") if t],
                              topics=[Topic(t, 1.0) for t in stored.get("topics") or []])
        return ArchivedArticle(
            id=article_id, paper=(stored.get("paper") or [None])[0], page=stored.get("page") or None,
            section=stored.get("section") or None, publication_date=stored.get("publication_date"),
            source=stored.get("source"), position=stored.get("position"), article=article)

    def stats(self, *, top: int = 10) -> ArchiveStats:
        """Counts by year, paper and topic; the most frequent persons and organisations."""
        raise NotImplementedError


class WhooshArchive(Archive):
    """An archive indexed by Whoosh in ``ARCHIVE/index/`` (the default engine)."""

    def __init__(self, path: str | Path):
        super().__init__(path)
        self._ix = None
        self._searcher = None
        self._facet_cache: dict[tuple[int, str], Any] = {}
        self._lock = threading.Lock()

    # -- writing
    def writer(self, *, lock_timeout: float = 0.0, procs: int = 1) -> IndexWriter:
        """The single index writer (a context manager); see :class:`IndexWriter`."""
        return IndexWriter(self.path, lock_timeout=lock_timeout, procs=procs)

    # -- reading
    def searcher(self):
        """A Whoosh searcher on the latest commit (reopened when the index changed)."""
        with self._lock:
            if self._ix is None:
                self._ix = open_index(self.path)
            if self._searcher is None:
                self._searcher = self._ix.searcher()
            elif not self._searcher.up_to_date():
                # not Searcher.refresh(): it reuses segment readers with stale deletions
                self._searcher.close()
                self._searcher = self._ix.searcher()
                self._facet_cache.clear()
            return self._searcher

    def close(self) -> None:
        if self._searcher is not None:
            self._searcher.close()
            self._searcher = None

    def _query_and_filter(self, query: str | None, filters: dict[str, Any]):
        """The searcher, the parsed query, and the filter (None, a query, or a set of doc numbers)."""
        s = self.searcher()
        q = parse_query(query or "", s.schema)
        terms, dates = _filters(**filters)
        if dates is None:
            return s, q, terms
        in_range = self._docs_in_date_range(s, *dates)
        if terms is not None:
            in_range &= matching_docs(s, terms)
        return s, q, in_range

    def _docs_in_date_range(self, s, start: dt.datetime, end: dt.datetime) -> set[int]:
        """Doc numbers published in [start, end], by bisecting a per-generation sorted date list
        (much faster than Whoosh's DateRange, which ORs many trie terms)."""
        from whoosh.util.times import datetime_to_long

        key = (id(s), "#dates")
        cached = self._facet_cache.get(key)
        if cached is None:
            reader = s.reader()
            column = reader.column_reader("publication_date", translate=False)
            pairs = sorted((column[d], d) for d in reader.all_doc_ids())
            pairs = [(v, d) for v, d in pairs if v < 2**63]  # undated documents hold the maximum
            cached = self._facet_cache[key] = ([v for v, _ in pairs], [d for _, d in pairs])
        values, docnums = cached
        lo = bisect_left(values, datetime_to_long(start))
        hi = bisect_right(values, datetime_to_long(end))
        return set(docnums[lo:hi])

    def _search(self, query, *, sort, limit, facets, facet_limit, filters) -> SearchResult:
        s, q, flt = self._query_and_filter(query, filters)
        by_date = sort == "date" or isinstance(q, Q.Every)
        allowed = None if flt is None else flt if isinstance(flt, set) else matching_docs(s, flt)
        scores = None if by_date else ranked_docs(s, q)  # every match, scored as Whoosh scores it
        if scores is not None:
            if allowed is not None:
                scores = {d: v for d, v in scores.items() if d in allowed}
            docnums = set(scores)
            top = top_docs(scores, limit) if limit > 0 else []
        else:  # Whoosh ranks (or sorts) the top hits; the total counts every match
            kwargs: dict[str, Any] = {"limit": max(limit, 1), "filter": flt}
            if by_date:
                kwargs.update(sortedby="publication_date", reverse=True)
            results = s.search(q, **kwargs)
            top = [(r.docnum, 0.0 if by_date else float(r.score or 0.0)) for r in results[:limit]] if limit > 0 else []
            docnums = matching_docs(s, q)
            if allowed is not None:
                docnums &= allowed
        terms = _highlight_terms(q)
        hits = []
        for docnum, score in top:
            stored = s.stored_fields(docnum)
            snippet, spans = make_snippet(stored.get("text") or "", terms)
            hits.append(Hit(
                id=stored["id"], score=score, headline=stored.get("headline") or "",
                publication_date=_iso(stored.get("publication_date")),
                paper=(stored.get("paper") or [None])[0], page=stored.get("page") or None,
                snippet=snippet, highlights=spans, topics=list(stored.get("topics") or []),
                source=stored.get("source"), position=stored.get("position")))
        facet_counts = {name: self._count_facet(s, FACET_FIELDS[name], docnums, facet_limit) for name in facets}
        return SearchResult(total=len(docnums), hits=hits, facets=facet_counts)

    def iter_matching(self, query: str | None = None, *, sort: Sort | None = None, **filters):
        """``(id, page key, position)`` of every matching article, streamed (index order;
        ``sort="date"`` for oldest first).  Memory: one set of document numbers."""
        s, q, flt = self._query_and_filter(query, filters)
        docnums: Iterable[int]
        matched = matching_docs(s, q)
        if flt is not None:
            matched &= flt if isinstance(flt, set) else matching_docs(s, flt)
        docnums = sorted(matched)
        if sort == "date":
            dates = s.reader().column_reader("publication_date", translate=False)  # raw ints, missing = 0
            docnums = sorted(docnums, key=lambda d: (dates[d], d))
        stored = s.reader().stored_fields
        for d in docnums:
            fields = stored(d)
            yield fields["id"], fields.get("page_key"), fields.get("position")

    def month_counts(self, query: str | None, filters: dict[str, Any]) -> Counter[str]:
        """Matching articles per month: the date range is applied to cached per-document dates
        (Whoosh's wide date-range queries are slow), the query and value filters through the index."""
        date_from, date_to = filters.get("date_from"), filters.get("date_to")
        s, q, flt = self._query_and_filter(query, {**filters, "date_from": None, "date_to": None})
        low = date_bounds(date_from)[0].date().isoformat() if date_from else "0000"
        high = date_bounds(date_to)[1].date().isoformat() if date_to else "9999"
        matched = q.docs(s)
        if flt is not None:
            allowed = set(flt.docs(s))
            matched = (d for d in matched if d in allowed)
        dates = self._dates_by_docnum(s)
        counts: Counter[str] = Counter()
        for d in matched:
            day = dates[d] if d < len(dates) else None
            if day is not None and low <= day <= high:
                counts[day[:7]] += 1
        return counts

    def _dates_by_docnum(self, s) -> list[str | None]:
        """``YYYY-MM-DD`` of each document number (cached per index generation)."""
        key = (id(s), "#days")
        cached = self._facet_cache.get(key)
        if cached is None:
            from whoosh.util.times import long_to_datetime

            cached = []
            for raw in s.reader().column_reader("publication_date", translate=False):
                try:  # an undated document holds the largest value, which is no date
                    value = long_to_datetime(raw)
                except OverflowError:
                    value = None
                cached.append(value.date().isoformat() if value is not None and value.year > 1 else None)
            self._facet_cache[key] = cached
        return cached

    def similar(self, article_id: str, text: str, *, top: int = 5) -> list[dict[str, Any]]:
        """Whoosh ``more_like`` over the body words."""
        s = self.searcher()
        docnum = s.document_number(id=article_id)
        if docnum is None or not text.strip():
            return []
        try:
            results = s.more_like(docnum, "body", text=text, top=top, numterms=12)
        except Exception:  # a damaged or empty field: no suggestions rather than an error
            return []
        out = []
        for r in results:
            stored = r.fields()
            out.append({"id": stored["id"], "headline": stored.get("headline") or "",
                        "publication_date": _iso(stored.get("publication_date")),
                        "paper": (stored.get("paper") or [None])[0]})
        return out

    def _facet_values(self, s, fieldname: str) -> list[tuple[str, ...]]:
        """Per document number, the values of ``fieldname`` (cached per index generation)."""
        key = (id(s), fieldname)
        cached = self._facet_cache.get(key)
        if cached is not None:
            return cached
        reader = s.reader()
        lists: list[list[str]] = [[] for _ in range(reader.doc_count_all())]
        if fieldname in reader.indexed_field_names():
            for btext in reader.lexicon(fieldname):
                text = btext.decode("utf-8")
                for d in reader.postings(fieldname, btext).all_ids():
                    lists[d].append(text)
        values = [tuple(x) for x in lists]
        self._facet_cache[key] = values
        return values

    def _count_facet(self, s, fieldname: str, docnums, limit: int) -> list[FacetCount]:
        per_doc = self._facet_values(s, fieldname)
        counts = Counter(chain.from_iterable(map(per_doc.__getitem__, docnums)))  # counted in C
        top = heapq.nsmallest(limit, counts.items(), key=lambda kv: (-kv[1], kv[0]))
        return [FacetCount(v, c) for v, c in top]

    def _stored(self, article_id: str) -> dict[str, Any] | None:
        s = self.searcher()
        docnum = s.document_number(id=article_id)
        if docnum is None:
            return None
        stored = dict(s.stored_fields(docnum))
        stored["publication_date"] = _iso(stored.get("publication_date"))
        return stored

    def stats(self, *, top: int = 10) -> ArchiveStats:
        """Counts by year, paper and topic; the most frequent persons and organisations."""
        s = self.searcher()
        docnums = list(s.reader().all_doc_ids())

        def counts(fieldname: str, limit: int | None = None) -> list[FacetCount]:
            return self._count_facet(s, fieldname, docnums, limit or 10**9)

        return ArchiveStats(
            articles=len(docnums), pages=len(counts("page_key")),
            by_year=dict(sorted((f.value, f.count) for f in counts("year"))),
            by_paper={f.value: f.count for f in counts("paper")},
            by_topic={f.value: f.count for f in counts("topics")},
            top_persons=counts("persons", top), top_orgs=counts("orgs", top))
