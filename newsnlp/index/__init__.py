"""The archive's full-text index: Whoosh (embedded, the default) or OpenSearch (a cluster),
behind one :class:`Archive` interface; analysis, schema, writers, search.

>>> from newsnlp.index import Archive
>>> Archive("newsnlp-archive").search("新年讲话", limit=5)   # doctest: +SKIP
"""
from newsnlp.index.engine import has_index
from newsnlp.index.search import (
    Archive, ArchivedArticle, ArchiveStats, FacetCount, Hit, QueryError, SearchResult, WhooshArchive,
)
from newsnlp.index.store import IndexWriter, index_exists, page_documents

__all__ = [
    "Archive", "ArchivedArticle", "ArchiveStats", "FacetCount", "Hit", "IndexWriter", "QueryError",
    "SearchResult", "WhooshArchive", "has_index", "index_exists", "page_documents",
]
