"""OpenSearch as the archive's engine: the same documents, queries and results as Whoosh.

An archive ingested with ``--engine opensearch`` keeps its pages on disk as always and its
index in an OpenSearch cluster: a versioned index (``NAME-v1``) behind the alias ``NAME``.

* **Mapping** (explicit, ``dynamic: strict``): jieba words and character bigrams are made in
  Python exactly as for Whoosh (:mod:`newsnlp.index.analysis`, with its full-width and
  traditional/simplified folding) and indexed pre-tokenised into ``whitespace``-analysed
  fields, so phrases work and no analysis plugin is needed; facets are ``keyword`` fields of
  normalised values; ``publication_date`` is a ``date``.
* **Writing**: bulk requests with the article id as document id, so re-ingesting a page
  replaces its articles and a retried batch never doubles one; a page's articles that are no
  longer on it are deleted at the commit.
* **Queries** are parsed by the same parser as Whoosh's and translated from the parse tree
  (never passed on as query strings); ``total`` is exact (``track_total_hits``), facets are
  ``terms`` aggregations, exports stream through a point in time with ``search_after``.
  Snippets come from the stored text through the same :func:`~newsnlp.index.search.make_snippet`
  as Whoosh's, so both engines show the same snippets with the same marks.
* **Faults**: requests go to any of the archive's node URLs and are retried while a node
  is away (``retry_seconds``); an unreachable cluster is one clear error.
"""
from __future__ import annotations

import datetime as dt
import time
from collections import Counter
from collections.abc import Iterable, Iterator
from functools import lru_cache
from pathlib import Path
from typing import Any

from whoosh import query as Q

from newsnlp.errors import ArchiveError
from newsnlp.index.analysis import PRETOKENIZED, _SEP
from newsnlp.index.engine import EngineSettings, read_settings
from newsnlp.index.schema import FACET_FIELDS, build_schema
from newsnlp.index.search import (
    Archive, ArchiveStats, FacetCount, Hit, QueryError, SearchResult, _filters, _highlight_terms, make_snippet,
    parse_query,
)
from newsnlp.model import Page

#: version of :data:`MAPPING`; an index built with another one must be rebuilt (``newsnlp reindex``)
MAPPING_VERSION = 1
KEYWORD_FIELDS = ("paper", "reporters", "topics", "persons", "places", "orgs", "officials", "quoted_terms")
TEXT_FIELDS = ("headline", "headline_bi", "body", "body_bi")
_KW = {"type": "keyword"}
_WORDS = {"type": "text", "analyzer": "whitespace", "norms": True}
MAPPING: dict[str, Any] = {
    "dynamic": "strict",
    "_meta": {"newsnlp_mapping": MAPPING_VERSION},
    # the token fields are indexed, not kept: pages are rebuilt from the archive's page store
    "_source": {"excludes": list(TEXT_FIELDS)},
    "properties": {
        "id": _KW, "page_key": _KW, "paper": _KW, "page": _KW, "section": _KW, "year": _KW,
        "position": {"type": "integer"},
        "publication_date": {"type": "date", "format": "strict_date"},
        **{name: _WORDS for name in TEXT_FIELDS},
        **{name: _KW for name in KEYWORD_FIELDS if name != "paper"},
        # what is shown, as printed: never searched
        "display": {"type": "object", "enabled": False},
    },
}
RETRY_SECONDS = 120.0  # how long a write is retried while the cluster is unreachable or recovering
READ_RETRY_SECONDS = 10.0  # the same for searches (a node rejoining; a cluster that is down fails sooner)
BULK_DOCS = 500


@lru_cache(maxsize=1)
def _schema():
    """The Whoosh schema whose query parser both engines share."""
    return build_schema()


# ---------------------------------------------------------------- documents

def _tokens(value: Any) -> list[str]:
    """Tokens of a pre-tokenised Whoosh field value."""
    if not isinstance(value, str) or not value.startswith(PRETOKENIZED) or len(value) == 1:
        return []
    return value[1:].split(_SEP)


def document(doc: dict[str, Any]) -> dict[str, Any]:
    """The OpenSearch document of one article, from its Whoosh document
    (:func:`newsnlp.index.schema.article_document`): the same tokens and values."""
    date = doc.get("publication_date")
    out: dict[str, Any] = {
        "id": doc["id"], "page_key": doc["page_key"], "position": doc.get("position"),
        "page": doc.get("page") or "", "section": doc.get("section") or "", "year": doc.get("year"),
        "publication_date": date.date().isoformat() if isinstance(date, dt.datetime) else None,
    }
    for name in TEXT_FIELDS:
        out[name] = " ".join(_tokens(doc.get(name)))
    for name in KEYWORD_FIELDS:
        out[name] = _tokens(doc.get(name))
    out["display"] = {"headline": doc.get("_stored_headline") or "", "text": doc.get("text") or "",
                      "source": doc.get("source"),
                      **{name: doc.get(f"_stored_{name}") or [] for name in KEYWORD_FIELDS}}
    return out


# ---------------------------------------------------------------- queries

def _boosted(body: dict[str, Any], boost: float) -> dict[str, Any]:
    if boost != 1.0:
        (inner,) = body.values()
        inner["boost"] = boost
    return body


def _iso_day(value) -> str | None:
    return value.date().isoformat() if isinstance(value, dt.datetime) else None


def to_dsl(q: Q.Query) -> dict[str, Any]:
    """The OpenSearch query of a Whoosh parse tree (:func:`~newsnlp.index.search.parse_query`)."""
    boost = float(getattr(q, "boost", 1.0) or 1.0)
    if isinstance(q, Q.Every):
        return {"match_all": {}}
    if q is Q.NullQuery or isinstance(q, type(Q.NullQuery)):
        return {"match_none": {}}
    if isinstance(q, Q.Term):
        text = q.text.decode("utf-8") if isinstance(q.text, bytes) else str(q.text)
        return {"term": {q.fieldname: {"value": text, "boost": boost}}}
    if isinstance(q, Q.Phrase):
        # Whoosh's slop 1 is "adjacent", OpenSearch's 0
        return {"match_phrase": {q.fieldname: {"query": " ".join(q.words), "slop": max(q.slop - 1, 0),
                                                "boost": boost}}}
    if isinstance(q, Q.DateRange):
        rng: dict[str, Any] = {"format": "strict_date"}
        if q.startdate:
            rng["gte"] = q.startdate.date().isoformat()
        if q.enddate:
            rng["lte"] = q.enddate.date().isoformat()
        return {"range": {q.fieldname: rng}}
    if isinstance(q, (Q.Prefix, Q.Wildcard)):
        kind = "prefix" if isinstance(q, Q.Prefix) else "wildcard"
        return {kind: {q.fieldname: {"value": str(q.text), "boost": boost}}}
    if isinstance(q, Q.TermRange):
        rng = {}
        if q.start is not None:
            rng["gt" if q.startexcl else "gte"] = str(q.start)
        if q.end is not None:
            rng["lt" if q.endexcl else "lte"] = str(q.end)
        return {"range": {q.fieldname: rng}}
    if isinstance(q, Q.And):
        return _boosted({"bool": {"must": [to_dsl(s) for s in q.subqueries]}}, boost)
    if isinstance(q, Q.Or):
        return _boosted({"bool": {"should": [to_dsl(s) for s in q.subqueries], "minimum_should_match": 1}}, boost)
    if isinstance(q, Q.AndNot):
        return {"bool": {"must": [to_dsl(q.a)], "must_not": [to_dsl(q.b)]}}
    if isinstance(q, Q.AndMaybe):
        return {"bool": {"must": [to_dsl(q.a)], "should": [to_dsl(q.b)]}}
    if isinstance(q, Q.Not):
        return {"bool": {"must": [{"match_all": {}}], "must_not": [to_dsl(q.query)]}}
    raise QueryError(f"this query ({type(q).__name__}) cannot be run on the OpenSearch engine")


def filter_dsl(filters: dict[str, Any]) -> list[dict[str, Any]]:
    """The value and date filters of a search, as OpenSearch filter clauses."""
    terms, dates = _filters(**filters)
    out: list[dict[str, Any]] = [] if terms is None else [to_dsl(terms)]
    if dates is not None:
        start, end = dates
        out.append({"range": {"publication_date": {"gte": start.date().isoformat(), "lte": end.date().isoformat(),
                                                   "format": "strict_date"}}})
    return out


# ---------------------------------------------------------------- the cluster

def _client(urls: list[str]):
    from opensearchpy import OpenSearch

    # every node is tried in turn: a stopped node does not stop searches or ingest
    return OpenSearch(hosts=urls, timeout=60, max_retries=len(urls) + 1, retry_on_timeout=True,
                      retry_on_status=(502, 503, 504), http_compress=False)


def _retriable(exc: Exception) -> bool:
    from opensearchpy import exceptions as ex

    if isinstance(exc, (ex.ConnectionError, ex.ConnectionTimeout)):
        return True
    if isinstance(exc, ex.TransportError):
        status = exc.status_code if isinstance(exc.status_code, int) else 0
        text = str(exc.error)
        # a node that just left: shards not yet reassigned (never a malformed request, which is a 400)
        recovering = any(word in text for word in ("unavailable_shards", "no_shard_available",
                                                   "search_phase_execution", "cluster_block"))
        return status in (429, 502, 503, 504) or (status >= 500 and recovering)
    return False


def _describe(exc: Exception) -> str:
    from opensearchpy import exceptions as ex

    if isinstance(exc, ex.ConnectionError):
        return "connection refused or lost"
    if isinstance(exc, ex.TransportError):
        info = exc.info if isinstance(exc.info, dict) else {}
        reason = (info.get("error") or {}).get("reason") if isinstance(info.get("error"), dict) else None
        return f"{exc.status_code} {reason or exc.error}"
    return f"{type(exc).__name__}: {exc}"


class Cluster:
    """One archive's index in an OpenSearch cluster: the alias, its versioned index, retries."""

    def __init__(self, settings: EngineSettings, *, retry_seconds: float = RETRY_SECONDS):
        if not settings.opensearch_urls or not settings.opensearch_index:
            raise ArchiveError("the archive's OpenSearch settings have no URL or index name")
        self.urls = settings.opensearch_urls
        self.alias = settings.opensearch_index
        self.shards = settings.opensearch_shards
        self.retry_seconds = retry_seconds
        self.client = _client(self.urls)

    def call(self, method: str, *, retry: bool = True, **kwargs) -> Any:
        """``client.<method>(**kwargs)``, retried while the cluster is unreachable or recovering;
        failures become one-line :class:`ArchiveError`."""
        target = self.client
        for part in method.split("."):
            target = getattr(target, part)
        deadline = time.monotonic() + (self.retry_seconds if retry else 0)
        pause = 0.25
        while True:
            try:
                return target(**kwargs)
            except Exception as exc:
                from opensearchpy import exceptions as ex

                if not isinstance(exc, ex.OpenSearchException):
                    raise
                if retry and _retriable(exc) and time.monotonic() < deadline:
                    time.sleep(pause)
                    pause = min(pause * 2, 5.0)
                    continue
                where = ", ".join(self.urls)
                if isinstance(exc, ex.ConnectionError):
                    raise ArchiveError(f"OpenSearch at {where} is unreachable ({_describe(exc)})") from None
                raise ArchiveError(f"OpenSearch at {where} refused {method} ({_describe(exc)})") from None

    def ping(self) -> None:
        """One request to each URL at most: an unreachable cluster fails at once."""
        self.call("info", retry=False)

    def index_name(self) -> str | None:
        """The concrete index behind the alias, or None when there is none yet."""
        found = self.call("indices.get_alias", name=self.alias, params={"ignore_unavailable": "true"}, retry=False) \
            if self._alias_exists() else {}
        names = sorted(found)
        return names[0] if names else None

    def _alias_exists(self) -> bool:
        return bool(self.call("indices.exists_alias", name=self.alias))

    def check_mapping(self, name: str) -> None:
        """Fail clearly when the index was built with another mapping version."""
        mapping = self.call("indices.get_mapping", index=name)
        meta = (next(iter(mapping.values()))["mappings"].get("_meta") or {})
        version = meta.get("newsnlp_mapping")
        if version != MAPPING_VERSION:
            raise ArchiveError(
                f"the OpenSearch index {name} was built with mapping version {version} and this newsnlp uses "
                f"{MAPPING_VERSION}: run `newsnlp reindex --archive ARCHIVE` to build it again from the stored pages")

    def open(self) -> str:
        """The index searches go to (checked); an error when the archive has none."""
        name = self.index_name()
        if name is None:
            raise ArchiveError(f"no OpenSearch index {self.alias!r} at {', '.join(self.urls)} "
                               "(run `newsnlp ingest FILES --archive ARCHIVE` first)")
        self.check_mapping(name)
        return name

    def create(self, name: str) -> None:
        # one replica as soon as a second node is there to hold it; refreshed by each commit (as a
        # Whoosh commit makes articles visible), and otherwise not every second while bulk writes go on
        settings = {"number_of_shards": self.shards, "auto_expand_replicas": "0-1", "refresh_interval": "30s"}
        self.call("indices.create", index=name, body={"settings": {"index": settings}, "mappings": MAPPING},
                  params={"wait_for_active_shards": "1"})

    def ensure(self) -> str:
        """The index writes go to: the alias's index (checked), created with the alias when absent."""
        name = self.index_name()
        if name is not None:
            self.check_mapping(name)
            return name
        name = f"{self.alias}-v{MAPPING_VERSION}"
        if not self.call("indices.exists", index=name):
            self.create(name)
        self.call("indices.put_alias", index=name, name=self.alias)
        return name


# ---------------------------------------------------------------- writing

class OpenSearchWriter:
    """The writer of an OpenSearch archive, with the interface of Whoosh's
    :class:`~newsnlp.index.store.IndexWriter`: ``replace_page``, ``commit``, ``close``.

    Documents are sent in bulk requests as they come (``BULK_DOCS`` at a time); ``commit``
    sends the rest, deletes articles that left their pages, and refreshes, so that what was
    committed is searchable.  With ``rebuild``, writes go to a new index that replaces the
    alias's one at :meth:`close` (``newsnlp reindex``).
    """

    def __init__(self, archive: str | Path, settings: EngineSettings | None = None, *, lock_timeout: float = 0.0,
                 rebuild: bool = False, retry_seconds: float = RETRY_SECONDS):
        from newsnlp.index.store import WriterLock

        self.archive = Path(archive)
        self.cluster = Cluster(settings or read_settings(archive), retry_seconds=retry_seconds)
        self._lock = WriterLock(archive, path=self.archive / ".opensearch-writer.lock")
        self._lock.acquire(lock_timeout)
        try:
            self.cluster.ping()
            self._old = None
            if rebuild:
                self._old = self.cluster.index_name()
                self.index = f"{self.cluster.alias}-v{MAPPING_VERSION}-{int(time.time() * 1000)}"
                self.cluster.create(self.index)
            else:
                self.index = self.cluster.ensure()
        except BaseException:
            self._lock.release()
            raise
        self._buffer: list[dict[str, Any]] = []
        self._pages: dict[str, list[str]] = {}  # page key -> its article ids, since the last commit
        self.pending_pages = 0

    def replace_page(self, key: str, documents: Iterable[dict[str, Any]]) -> int:
        """Replace the articles of page ``key`` by ``documents`` (Whoosh documents, converted here)."""
        ids = self._pages.setdefault(key, [])
        n = 0
        for doc in documents:
            self._buffer.append(document(doc))
            ids.append(doc["id"])
            n += 1
        self.pending_pages += 1
        if len(self._buffer) >= BULK_DOCS:
            self._send()
        return n

    def add_page(self, page: Page) -> int:
        from newsnlp.index.store import page_documents
        from newsnlp.store import page_key

        return self.replace_page(page_key(page.source), page_documents(page))

    def add_documents(self, documents: list[dict[str, Any]]) -> None:
        """Index OpenSearch documents (:func:`document`) as they are (a Dask worker's batch)."""
        self._buffer.extend(documents)
        self._send()

    def _send(self) -> None:
        if self._buffer:
            bulk_index(self.cluster, self.index, self._buffer)
            self._buffer = []

    def commit(self, *, merge: bool = True) -> None:
        """Send what is buffered, delete articles that left their pages, make it all searchable."""
        self._send()
        if self._pages:
            delete_stale(self.cluster, self.index, self._pages)
            self._pages = {}
        self.cluster.call("indices.refresh", index=self.index)
        self.pending_pages = 0

    def finish_merges(self) -> None:
        """OpenSearch merges segments itself."""

    def cancel(self) -> None:
        self._buffer, self._pages, self.pending_pages = [], {}, 0

    def release(self) -> None:
        self._lock.release()

    def close(self, *, finish_merges: bool = True) -> None:
        try:
            self.commit()
            if self._old is not None or self.cluster.index_name() != self.index:
                swap_alias(self.cluster, self.index, self._old)
        finally:
            self._lock.release()

    def __enter__(self) -> "OpenSearchWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.cancel()
            self._lock.release()


def bulk_index(cluster: Cluster, index: str, documents: list[dict[str, Any]]) -> None:
    """Index ``documents`` with their article ids as ids (idempotent), retrying refused items."""
    pending = documents
    deadline = time.monotonic() + cluster.retry_seconds
    while pending:
        lines: list[dict[str, Any]] = []
        for doc in pending:
            lines += [{"index": {"_index": index, "_id": doc["id"]}}, doc]
        resp = cluster.call("bulk", body=lines)
        if not resp.get("errors"):
            return
        again, fatal = [], None
        for doc, item in zip(pending, resp["items"]):
            result = item.get("index") or {}
            if result.get("status", 200) < 300:
                continue
            if result.get("status") in (429, 503) or "unavailable" in str(result.get("error")):
                again.append(doc)
            elif fatal is None:
                fatal = result.get("error")
        if fatal is not None:
            raise ArchiveError(f"OpenSearch refused an article: {fatal}")
        if time.monotonic() > deadline:
            raise ArchiveError(f"OpenSearch kept refusing {len(again)} articles (cluster unavailable)")
        time.sleep(1.0)
        pending = again


def delete_stale(cluster: Cluster, index: str, pages: dict[str, list[str]]) -> None:
    """Delete the articles of ``pages`` that are not among their new article ids (found by a search
    and deleted in bulk: the minimal distribution has no ``_delete_by_query``).  No refresh is needed
    first: what an earlier ingest indexed is visible, and what this one sent is kept by its id."""
    keys = list(pages)
    for start in range(0, len(keys), 1000):
        chunk = keys[start:start + 1000]
        keep = [i for k in chunk for i in pages[k]]
        query = {"bool": {"filter": [{"terms": {"page_key": chunk}}], "must_not": [{"ids": {"values": keep}}]}}
        while True:
            resp = cluster.call("search", index=index, body={"query": query, "size": 10_000, "_source": False})
            stale = [h["_id"] for h in resp["hits"]["hits"]]
            if not stale:
                break
            cluster.call("bulk", body=[{"delete": {"_index": index, "_id": i}} for i in stale])
            cluster.call("indices.refresh", index=index)


def swap_alias(cluster: Cluster, new: str, old: str | None) -> None:
    """Point the alias at ``new`` in one step; delete ``old``."""
    actions: list[dict[str, Any]] = [{"add": {"index": new, "alias": cluster.alias}}]
    if old is not None and old != new:
        actions.insert(0, {"remove": {"index": old, "alias": cluster.alias}})
    cluster.call("indices.update_aliases", body={"actions": actions})
    if old is not None and old != new:
        cluster.call("indices.delete", index=old)


# ---------------------------------------------------------------- reading

_STORED_SOURCE = ["id", "page_key", "position", "publication_date", "page", "section", "display"]
_TIEBREAK = {"id": "asc"}
#: ties in page order, as Whoosh breaks them by its document numbers
_IN_PAGE_ORDER = [{"page_key": "asc"}, {"position": "asc"}, _TIEBREAK]
_IN_REVERSE_PAGE_ORDER = [{"page_key": "desc"}, {"position": "desc"}, _TIEBREAK]


class OpenSearchArchive(Archive):
    """An archive whose index is in OpenSearch (see the module's documentation)."""

    def __init__(self, path: str | Path, *, settings: EngineSettings | None = None,
                 retry_seconds: float = READ_RETRY_SECONDS):
        super().__init__(path)
        self.settings = settings or read_settings(path)
        self.cluster = Cluster(self.settings, retry_seconds=retry_seconds)
        self._index: str | None = None

    @property
    def index(self) -> str:
        if self._index is None:
            self._index = self.cluster.open()
        return self._index

    def writer(self, *, lock_timeout: float = 0.0, procs: int = 1) -> OpenSearchWriter:
        return OpenSearchWriter(self.path, self.settings, lock_timeout=lock_timeout)

    def close(self) -> None:
        self.cluster.client.close()

    def _search_body(self, q: Q.Query, filters: dict[str, Any]) -> dict[str, Any]:
        return {"bool": {"must": [to_dsl(q)], "filter": filter_dsl(filters)}}

    def _run(self, body: dict[str, Any]) -> dict[str, Any]:
        resp = self.cluster.call("search", index=self.index, body=body,
                                 params={"allow_partial_search_results": "false"})
        shards = resp.get("_shards") or {}
        if shards.get("failed"):
            raise ArchiveError(f"OpenSearch answered from {shards.get('successful')} of {shards.get('total')} shards")
        return resp

    def _search(self, query, *, sort, limit, facets, facet_limit, filters) -> SearchResult:
        q = parse_query(query or "", _schema())
        by_date = sort == "date" or isinstance(q, Q.Every)
        body: dict[str, Any] = {"query": self._search_body(q, filters), "size": max(limit, 0),
                                # the whole _source: filtering it costs OpenSearch more than sending it
                                "track_total_hits": True, "_source": True}
        if by_date:  # newest first; undated articles first, as Whoosh sorts them
            body["sort"] = [{"publication_date": {"order": "desc", "missing": "_first"}}, *_IN_REVERSE_PAGE_ORDER]
        else:
            body["sort"] = ["_score", *_IN_PAGE_ORDER]
        if facets:
            body["aggs"] = {name: _terms_agg(FACET_FIELDS[name], facet_limit) for name in facets}
        resp = self._run(body)
        terms = _highlight_terms(q)
        hits = []
        for h in resp["hits"]["hits"]:
            src = h["_source"]
            shown = src.get("display") or {}
            snippet, spans = make_snippet(shown.get("text") or "", terms)
            hits.append(Hit(
                id=src["id"], score=0.0 if by_date else float(h.get("_score") or 0.0),
                headline=shown.get("headline") or "", publication_date=src.get("publication_date"),
                paper=(shown.get("paper") or [None])[0], page=src.get("page") or None, snippet=snippet,
                highlights=spans, topics=list(shown.get("topics") or []), source=shown.get("source"),
                position=src.get("position")))
        facet_counts = {name: _buckets(resp["aggregations"][name]) for name in facets}
        return SearchResult(total=resp["hits"]["total"]["value"], hits=hits, facets=facet_counts)

    def iter_matching(self, query: str | None = None, *, sort=None, **filters) -> Iterator[tuple[str, str | None, int | None]]:
        """Every match, streamed through a point in time with ``search_after`` (id order, or oldest first)."""
        q = parse_query(query or "", _schema())
        order = [{"publication_date": {"order": "asc", "missing": "_first"}}, *_IN_PAGE_ORDER] if sort == "date" \
            else _IN_PAGE_ORDER
        pit = self.cluster.call("create_pit", index=self.index, params={"keep_alive": "2m"})["pit_id"]
        try:
            after = None
            while True:
                body: dict[str, Any] = {"query": self._search_body(q, filters), "size": 1000, "sort": order,
                                        "_source": ["id", "page_key", "position"], "track_total_hits": False,
                                        "pit": {"id": pit, "keep_alive": "2m"}}
                if after is not None:
                    body["search_after"] = after
                resp = self.cluster.call("search", body=body, params={"allow_partial_search_results": "false"})
                batch = resp["hits"]["hits"]
                for h in batch:
                    src = h["_source"]
                    yield src["id"], src.get("page_key"), src.get("position")
                if len(batch) < 1000:
                    return
                after = batch[-1]["sort"]
        finally:
            try:
                self.cluster.call("delete_pit", body={"pit_id": [pit]}, retry=False)
            except ArchiveError:
                pass  # it expires by itself

    def month_counts(self, query: str | None, filters: dict[str, Any]) -> Counter[str]:
        q = parse_query(query or "", _schema())
        body = {"query": self._search_body(q, filters), "size": 0, "track_total_hits": False,
                "aggs": {"months": {"date_histogram": {"field": "publication_date", "calendar_interval": "month",
                                                        "format": "yyyy-MM", "min_doc_count": 1}}}}
        buckets = self._run(body)["aggregations"]["months"]["buckets"]
        return Counter({b["key_as_string"]: b["doc_count"] for b in buckets})

    def similar(self, article_id: str, text: str, *, top: int = 5) -> list[dict[str, Any]]:
        """OpenSearch ``more_like_this`` over the body words of the stored article."""
        if not text.strip():
            return []
        from newsnlp.index.analysis import word_tokens

        like = {"more_like_this": {"fields": ["body"], "like": " ".join(word_tokens(text)), "min_term_freq": 1,
                                   "min_doc_freq": 1, "max_query_terms": 12, "minimum_should_match": 1}}
        body = {"query": {"bool": {"must": [like], "must_not": [{"ids": {"values": [article_id]}}]}},
                "size": top, "_source": True}
        try:
            resp = self._run(body)
        except ArchiveError:
            return []
        out = []
        for h in resp["hits"]["hits"]:
            src, shown = h["_source"], h["_source"].get("display") or {}
            out.append({"id": src["id"], "headline": shown.get("headline") or "",
                        "publication_date": src.get("publication_date"), "paper": (shown.get("paper") or [None])[0]})
        return out

    def _stored(self, article_id: str) -> dict[str, Any] | None:
        resp = self._run({"query": {"ids": {"values": [article_id]}}, "size": 1, "_source": _STORED_SOURCE})
        if not resp["hits"]["hits"]:
            return None
        src = resp["hits"]["hits"][0]["_source"]
        shown = src.get("display") or {}
        return {"page_key": src.get("page_key"), "position": src.get("position"), "headline": shown.get("headline"),
                "text": shown.get("text"), "reporters": shown.get("reporters"), "topics": shown.get("topics"),
                "paper": shown.get("paper"), "page": src.get("page"), "section": src.get("section"),
                "source": shown.get("source"), "publication_date": src.get("publication_date")}

    def stats(self, *, top: int = 10) -> ArchiveStats:
        big = 100_000
        body = {"query": {"match_all": {}}, "size": 0, "track_total_hits": True,
                "aggs": {"year": _terms_agg("year", big), "paper": _terms_agg("paper", big),
                         "topics": _terms_agg("topics", big), "persons": _terms_agg("persons", top),
                         "orgs": _terms_agg("orgs", top)}}
        resp = self._run(body)
        aggs = resp["aggregations"]
        return ArchiveStats(
            articles=resp["hits"]["total"]["value"], pages=self._count_values("page_key"),
            by_year=dict(sorted((f.value, f.count) for f in _buckets(aggs["year"]))),
            by_paper={f.value: f.count for f in _buckets(aggs["paper"])},
            by_topic={f.value: f.count for f in _buckets(aggs["topics"])},
            top_persons=_buckets(aggs["persons"]), top_orgs=_buckets(aggs["orgs"]))

    def _count_values(self, field: str) -> int:
        """Distinct values of ``field``, exactly (a composite aggregation, paged)."""
        n, after = 0, None
        while True:
            comp: dict[str, Any] = {"size": 10_000, "sources": [{"v": {"terms": {"field": field}}}]}
            if after:
                comp["after"] = after
            resp = self._run({"size": 0, "track_total_hits": False, "aggs": {"c": {"composite": comp}}})
            buckets = resp["aggregations"]["c"]["buckets"]
            n += len(buckets)
            after = resp["aggregations"]["c"].get("after_key")
            if len(buckets) < 10_000 or not after:
                return n


def _terms_agg(field: str, size: int) -> dict[str, Any]:
    """Most frequent values first, ties by value (as Whoosh's facets); the shard size keeps counts
    exact for any value set that fits it."""
    return {"terms": {"field": field, "size": max(size, 1), "shard_size": max(size * 20, 10_000),
                      "order": [{"_count": "desc"}, {"_key": "asc"}]}}


def _buckets(agg: dict[str, Any]) -> list[FacetCount]:
    return [FacetCount(b["key"], b["doc_count"]) for b in agg["buckets"]]


def force_merge(archive: str | Path) -> float:
    """Merge each shard of the archive's index into one segment (``newsnlp optimize``); seconds taken."""
    started = time.monotonic()
    ar = OpenSearchArchive(archive)
    try:
        ar.cluster.call("indices.forcemerge", index=ar.index, params={"max_num_segments": "1"})
    finally:
        ar.close()
    return time.monotonic() - started


__all__ = ["Cluster", "MAPPING", "MAPPING_VERSION", "OpenSearchArchive", "OpenSearchWriter", "document",
           "filter_dsl", "to_dsl"]
