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
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from whoosh import index as whoosh_index

from newsnlp.errors import ArchiveError
from newsnlp.index.segments import ArchiveSegmentWriter, BackgroundMerge, ParallelSegmentWriter, plan_merge
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


def optimize(archive: str | Path, *, lock_timeout: float = 0.0) -> float:
    """Merge every segment of the index into one (Whoosh's OPTIMIZE, with the fast writer);
    returns the seconds it took (about 35 s for 100k articles in nine segments)."""
    from whoosh.writing import OPTIMIZE

    started = time.monotonic()
    lock = WriterLock(archive)
    lock.acquire(lock_timeout)
    try:
        ArchiveSegmentWriter(open_index(archive)).commit(mergetype=OPTIMIZE)
    finally:
        lock.release()
    return time.monotonic() - started


class WriterLock:
    """An exclusive, process-lifetime lock on an archive's index."""

    def __init__(self, archive: str | Path, *, path: Path | None = None):
        self.path = path or index_dir(archive) / ".writer.lock"
        self._fd: int | None = None

    @property
    def fd(self) -> int | None:
        return self._fd

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

    With ``procs`` > 1, that many processes each write a segment of the added documents.
    Segments are merged by :func:`~newsnlp.index.segments.plan_merge`'s tiers in a
    background process (:class:`~newsnlp.index.segments.BackgroundMerge`) while documents
    are added; a commit swaps in a finished merge, and :meth:`close` waits for the merges.

    >>> with IndexWriter(archive) as w:      # doctest: +SKIP
    ...     w.replace_page(page_key, docs)
    ...     w.commit()                        # everything so far is now durable and searchable
    """

    def __init__(self, archive: str | Path, *, lock_timeout: float = 0.0, limitmb: int = 128, procs: int = 1):
        self.archive = Path(archive)
        self._lock = WriterLock(archive)
        self._lock.acquire(lock_timeout)
        try:
            self._ix = open_index(archive, create=True)
        except BaseException:
            self._lock.release()
            raise
        self._limitmb = limitmb
        self._procs = procs
        self._writer: ArchiveSegmentWriter | None = None
        self._merge: BackgroundMerge | None = None
        self.pending_pages = 0

    def _w(self) -> ArchiveSegmentWriter:
        if self._writer is None:
            if self._procs > 1:
                self._writer = ParallelSegmentWriter(self._ix, procs=self._procs, limitmb=self._limitmb,
                                                     inherited_locks=(self._lock.fd,))
            else:
                self._writer = ArchiveSegmentWriter(self._ix, limitmb=self._limitmb)
            if self._merge is not None:
                self._writer.reserved_segment_ids = frozenset({self._merge.segment_id})
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

    def commit(self, *, merge: bool = True) -> None:
        """Make everything written so far durable and visible to searchers (with a finished
        background merge swapped in), then start the next merge the tiers call for."""
        if self._writer is not None:
            self._writer.commit(mergetype=self._merged_segments)
            self._writer = None
        self.pending_pages = 0
        if merge and self._merge is None:
            chosen, _ = plan_merge(self._ix._segments())
            if chosen:
                self._merge = BackgroundMerge(self._ix, chosen, inherited_locks=(self._lock.fd,))

    def _merged_segments(self, writer, segments: list) -> list:
        """Merge policy of each commit: swap in a finished merge, drop emptied segments."""
        if self._merge is not None and self._merge.done():
            segments = self._merge.swap(segments)
            if self._merge.error:
                warnings.warn(f"index segments were not merged: {self._merge.error}", stacklevel=2)
            self._merge = None
            writer.reserved_segment_ids = frozenset()
        busy = self._merge.source_ids if self._merge is not None else set()
        return [seg for seg in segments if seg.doc_count() > 0 or seg.segment_id() in busy]

    def finish_merges(self) -> None:
        """Wait for the background merges (and the merges they lead to) and commit them."""
        while self._merge is not None:
            self._merge.wait()
            if self._writer is None:  # nothing added since the last commit: commit the swap alone
                self._writer = ArchiveSegmentWriter(self._ix, limitmb=self._limitmb)
            self.commit()

    def _cancel_merge(self) -> None:
        if self._merge is not None:
            self._merge.cancel()
            self._merge = None

    def cancel(self) -> None:
        try:
            self._cancel_merge()
        finally:
            if self._writer is not None:
                self._writer.cancel()
                self._writer = None
            self.pending_pages = 0

    def release(self) -> None:
        """Give up the writer lock (idempotent); uncommitted changes and merges are not saved."""
        try:
            self._cancel_merge()
        finally:
            self._lock.release()

    def close(self, *, finish_merges: bool = True) -> None:
        """Commit and give up the lock; with ``finish_merges`` False (Ctrl-C), a running
        merge is stopped instead of waited for (the index stays as committed, unmerged)."""
        try:
            if finish_merges:
                self.commit()
                self.finish_merges()
            else:
                self._cancel_merge()
                self.commit(merge=False)
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
