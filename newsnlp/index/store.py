"""Opening the Whoosh index of an archive and writing to it, one writer at a time.

The index lives in ``ARCHIVE/index/``.  A writer holds an exclusive ``flock`` on
``ARCHIVE/index/.writer.lock`` for its whole life (released by the OS if the process
dies), so a second ingest waits up to ``lock_timeout`` seconds and then fails with
:class:`~newsnlp.errors.ArchiveError` naming the process that holds it.  Whoosh writes
each commit's table of contents atomically, so a killed writer leaves the index as of
its last commit.
"""
from __future__ import annotations

import fcntl
import os
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index
from whoosh.codec.whoosh3 import W3Codec, W3FieldWriter, W3PostingsWriter
from whoosh.writing import SegmentWriter

from newsnlp.errors import ArchiveError
from newsnlp.index.schema import SCHEMA_VERSION, article_document, build_schema
from newsnlp.model import Page
from newsnlp.store import page_key

INDEX_NAME = f"articles_v{SCHEMA_VERSION}"


def index_dir(archive: str | Path) -> Path:
    return Path(archive) / "index"


def index_exists(archive: str | Path) -> bool:
    path = index_dir(archive)
    return path.is_dir() and whoosh_index.exists_in(str(path), indexname=INDEX_NAME)


def open_index(archive: str | Path, *, create: bool = False):
    """The Whoosh index of ``archive``; created empty when ``create`` and absent."""
    path = index_dir(archive)
    if index_exists(archive):
        try:
            return whoosh_index.open_dir(str(path), indexname=INDEX_NAME)
        except Exception as exc:  # whoosh raises many kinds for damaged files
            raise ArchiveError(f"index at {path} is unreadable ({exc}); re-run `newsnlp ingest`") from None
    if not create:
        raise ArchiveError(f"no search index at {path} (run `newsnlp ingest FILES --archive {archive}` first)")
    path.mkdir(parents=True, exist_ok=True)
    return whoosh_index.create_in(str(path), build_schema(), indexname=INDEX_NAME)


def page_documents(page: Page) -> list[dict[str, Any]]:
    """The Whoosh documents of every article of ``page`` (pure; runs in worker processes)."""
    key = page_key(page.source)
    return [article_document(page, a, i, page_key=key) for i, a in enumerate(page.articles)]


class WriterLock:
    """An exclusive, process-lifetime lock on an archive's index."""

    def __init__(self, archive: str | Path):
        self.path = index_dir(archive) / ".writer.lock"
        self._fd: int | None = None

    def acquire(self, timeout: float = 0.0) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        deadline = time.monotonic() + max(timeout, 0.0)
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    holder = os.pread(fd, 32, 0).decode("ascii", "replace").strip() or "?"
                    os.close(fd)
                    waited = f" after waiting {timeout:g} s" if timeout > 0 else ""
                    raise ArchiveError(
                        f"the index at {self.path.parent} is being written by another process (pid {holder}){waited}; "
                        "wait for that ingest to finish and try again") from None
                time.sleep(0.1)
        os.ftruncate(fd, 0)
        os.pwrite(fd, str(os.getpid()).encode(), 0)
        self._fd = fd

    def release(self) -> None:
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None


class IndexWriter:
    """The single writer of an archive's index: replace pages, commit in chunks.

    >>> with IndexWriter(archive) as w:      # doctest: +SKIP
    ...     w.replace_page(page_key, docs)
    ...     w.commit()                        # everything so far is now durable and searchable
    """

    def __init__(self, archive: str | Path, *, lock_timeout: float = 0.0, limitmb: int = 128):
        self.archive = Path(archive)
        self._lock = WriterLock(archive)
        self._lock.acquire(lock_timeout)
        try:
            self._ix = open_index(archive, create=True)
        except BaseException:
            self._lock.release()
            raise
        self._limitmb = limitmb
        self._writer: SegmentWriter | None = None
        self.pending_pages = 0

    def _w(self) -> SegmentWriter:
        if self._writer is None:
            self._writer = self._ix.writer(limitmb=self._limitmb, codec=ArchiveCodec())
        return self._writer

    def replace_page(self, key: str, documents: Iterable[dict[str, Any]]) -> int:
        """Delete the committed articles of page ``key`` and add ``documents``; returns how many."""
        w = self._w()
        w.delete_by_term("page_key", key)
        n = 0
        for doc in documents:
            w.add_document(**doc)
            n += 1
        self.pending_pages += 1
        return n

    def add_page(self, page: Page) -> int:
        return self.replace_page(page_key(page.source), page_documents(page))

    def commit(self) -> None:
        """Make everything written so far durable and visible to searchers."""
        if self._writer is not None:
            self._writer.commit()
            self._writer = None
        self.pending_pages = 0

    def cancel(self) -> None:
        if self._writer is not None:
            self._writer.cancel()
            self._writer = None
        self.pending_pages = 0

    def release(self) -> None:
        """Give up the writer lock (idempotent); uncommitted changes are not saved."""
        self._lock.release()

    def close(self) -> None:
        try:
            self.commit()
        finally:
            self._lock.release()

    def __enter__(self) -> "IndexWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            try:
                self.cancel()
            finally:
                self._lock.release()


class _InliningPostingsWriter(W3PostingsWriter):
    """Whoosh's posting writer with its "inline short posting lists" path fixed.

    Upstream calls a method that does not exist (``set_inline``) and so can only run with
    ``inlinelimit=1``, writing a zlib-compressed block for every term.  Character bigrams
    give many rare terms; inlining their postings into the term table makes indexing
    several times faster and the index several times smaller."""

    def finish_postings(self):
        terminfo = self._terminfo
        if not self.written() and len(self) < self._inlinelimit:
            terminfo.add_block(self)
            # add_posting() keeps only non-empty values; formats without values (keywords,
            # ids) must still give one (empty) value per posting, or merging segments fails
            values = self._values if len(self._values) == len(self._ids) else [b""] * len(self._ids)
            terminfo.set_inlined(self._ids, self._weights, values)
            self._terminfo = None
            return terminfo
        return super().finish_postings()


class _CachedLengths:
    """Memoises ``doc_field_length``: Whoosh asks it once per *posting*, reading a column each time."""

    def __init__(self, lengths):
        self._lengths = lengths
        self._cache: dict[tuple[int, str], int] = {}

    def doc_field_length(self, docnum, fieldname, default=0):
        key = (docnum, fieldname)
        value = self._cache.get(key)
        if value is None:
            value = self._cache[key] = self._lengths.doc_field_length(docnum, fieldname, default)
        return value


class _FieldWriter(W3FieldWriter):
    def add_postings(self, schema, lengths, items):
        return super().add_postings(schema, _CachedLengths(lengths) if lengths else lengths, items)


class ArchiveCodec(W3Codec):
    """Whoosh's W3 codec, inlining posting lists shorter than ``inlinelimit``."""

    def __init__(self, blocklimit: int = 128, compression: int = 1, inlinelimit: int = 16):
        super().__init__(blocklimit=blocklimit, compression=compression, inlinelimit=inlinelimit)

    def field_writer(self, storage, segment):
        return _FieldWriter(self, storage, segment)

    def postings_writer(self, dbfile, byteids=False):
        return _InliningPostingsWriter(dbfile, blocklimit=self._blocklimit, byteids=byteids,
                                       compression=self._compression, inlinelimit=self._inlinelimit)
