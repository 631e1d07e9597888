"""The Whoosh schema (one document per article) and Article -> document conversion."""
from __future__ import annotations

import datetime as dt
from typing import Any

from whoosh.fields import DATETIME, ID, KEYWORD, NUMERIC, STORED, TEXT, Schema

from newsnlp.index.analysis import (
    BigramAnalyzer, KeywordAnalyzer, WordAnalyzer, bigram_tokens, normalize, pretokenized, word_tokens,
)
from newsnlp.model import Article, Page

SCHEMA_VERSION = 1

#: facet name (CLI) -> index field
FACET_FIELDS = {"topic": "topics", "person": "persons", "place": "places", "org": "orgs",
                "official": "officials", "reporter": "reporters", "paper": "paper", "year": "year"}
#: query-language field aliases -> index field
FIELD_ALIASES = {"person": "persons", "place": "places", "org": "orgs", "topic": "topics",
                 "official": "officials", "reporter": "reporters", "term": "quoted_terms",
                 "quoted": "quoted_terms", "date": "publication_date", "text": "body", "title": "headline"}
#: full-text fields queried by default, with their boosts (exact words rank first)
TEXT_FIELDS = {"headline": 4.0, "body": 2.0, "headline_bi": 1.0, "body_bi": 0.5}
#: word field -> its bigram twin, so that ``headline:X`` queries both
BIGRAM_TWIN = {"headline": "headline_bi", "body": "body_bi"}


def _keyword(**kw) -> KEYWORD:
    field = KEYWORD(lowercase=False, commas=True, scorable=True, **kw)
    field.analyzer = field.format.analyzer = KeywordAnalyzer()
    return field


def build_schema() -> Schema:
    words, bigrams = WordAnalyzer(), BigramAnalyzer()
    return Schema(
        id=ID(stored=True, unique=True),
        page_key=ID(stored=True),
        source=STORED(),
        position=NUMERIC(int, stored=True),
        paper=_keyword(stored=True),
        page=ID(stored=True),
        section=ID(stored=True),
        publication_date=DATETIME(stored=True, sortable=True),
        year=ID(stored=True),
        headline=TEXT(analyzer=words, stored=True, field_boost=2.0, multitoken_query="phrase"),
        headline_bi=TEXT(analyzer=bigrams, field_boost=2.0, multitoken_query="phrase"),
        body=TEXT(analyzer=words, multitoken_query="phrase"),
        body_bi=TEXT(analyzer=bigrams, multitoken_query="phrase"),
        text=STORED(),
        reporters=_keyword(stored=True),
        topics=_keyword(stored=True),
        persons=_keyword(stored=True),
        places=_keyword(stored=True),
        orgs=_keyword(stored=True),
        officials=_keyword(stored=True),
        quoted_terms=_keyword(stored=True),
    )


def parse_date(value: str | None) -> dt.datetime | None:
    """``YYYY-MM-DD`` (or a longer ISO string) -> datetime; None when absent or malformed."""
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(value[:10])
    except ValueError:
        return None


def _unique(values) -> list[str]:
    seen: dict[str, None] = {}
    for v in values:
        v = normalize(v).strip() if v else ""
        if v:
            seen.setdefault(v, None)
    return list(seen)


def article_document(page: Page, article: Article, position: int, *, page_key: str) -> dict[str, Any]:
    """The Whoosh document of one article; text fields are pre-tokenized here (cheap to ship
    from a worker process to the single writer)."""
    headline = "".join(article.headline)
    extra_heads = " ".join(x for x in (article.kicker, article.subtitle) if x)
    body = article.text
    # captions are searchable but not part of the stored body
    searchable = "\n".join([body, *article.captions])
    head_norm = normalize(f"{headline} {extra_heads}".strip())
    body_norm = normalize(searchable)
    date = parse_date(page.publication_date)
    # names only: not 老王 / 王某 mentions (``form``), nor an official known by surname alone
    people = [e.text for e in article.entities if e.type == "person" and not getattr(e, "form", None)]
    people += [o.name for o in article.officials if len(o.name) > 1]
    doc: dict[str, Any] = {
        "id": article.id,
        "page_key": page_key,
        "source": page.source,
        "position": position,
        "page": page.page or "",
        "section": page.section or "",
        "headline": pretokenized(word_tokens(head_norm, normalized=True)),
        "headline_bi": pretokenized(bigram_tokens(head_norm, normalized=True)),
        "body": pretokenized(word_tokens(body_norm, normalized=True)),
        "body_bi": pretokenized(bigram_tokens(body_norm, normalized=True)),
        "text": body,
    }
    keywords = {
        "paper": [page.paper] if page.paper else [],
        "reporters": article.reporters,
        "topics": [t.label for t in article.topics],
        "persons": people,
        # the place meant (该区 -> 金水区, 京 -> 北京); a one-character place nobody can name is left out
        "places": [e.refers_to or e.text for e in article.entities
                   if e.type == "place" and (e.refers_to or len(e.text) > 1)],
        "orgs": [e.text for e in article.entities if e.type == "org"],
        "officials": [o.name for o in article.officials] + [f"{o.name}|{o.title}" for o in article.officials],
        "quoted_terms": [q.term for q in article.quoted_terms],
    }
    for name, values in keywords.items():
        doc[name] = pretokenized(_unique(values))
        doc[f"_stored_{name}"] = list(dict.fromkeys(v for v in values if v))
    if date is not None:
        doc["publication_date"] = date
        doc["year"] = str(date.year)
    # stored display values: the headline as printed, not its tokens
    doc["_stored_headline"] = headline
    return doc
