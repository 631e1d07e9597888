"""The archive's full-text index (Whoosh): analysis, schema, single writer, search.

>>> from newsnlp.index import Archive
>>> Archive("newsnlp-archive").search("新年讲话", limit=5)   # doctest: +SKIP
"""
from newsnlp.index.search import (
    Archive, ArchivedArticle, ArchiveStats, FacetCount, Hit, QueryError, SearchResult,
)
from newsnlp.index.store import IndexWriter, index_exists, page_documents

__all__ = [
    "Archive", "ArchivedArticle", "ArchiveStats", "FacetCount", "Hit", "IndexWriter", "QueryError",
    "SearchResult", "index_exists", "page_documents",
]
