"""Batch ingest: page files and folders -> parsed pages stored in the archive and indexed.

Parsing (and tokenizing for the index) runs in ``jobs`` worker processes; the parent
is the one index writer.  It commits every ``commit_every`` pages or ``commit_seconds``, so an interrupted
ingest (Ctrl-C, kill) leaves the index readable with every committed page intact;
re-ingesting a page replaces its articles.  A file that cannot be read is reported
and skipped; the batch goes on.  A second ingest into the same archive waits
``lock_timeout`` seconds, then fails with :class:`~newsnlp.errors.ArchiveError`.
"""
from __future__ import annotations

import os
import signal
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsnlp import pipeline
from newsnlp.errors import NewsnlpError
from newsnlp.read import PAGE_SUFFIXES
from newsnlp.store import PageStore, page_key


@dataclass
class IngestReport:
    """What a batch did: pages and articles stored, and one line per failed file."""

    pages: int = 0
    articles: int = 0
    failures: list[str] = field(default_factory=list)
    commits: int = 0
    seconds: float = 0.0
    notes: list[str] = field(default_factory=list)  # warnings that do not fail the batch (registry)

    def summary_table(self) -> str:
        rows = [("pages", self.pages), ("articles", self.articles), ("failures", len(self.failures))]
        width = max(len(k) for k, _ in rows)
        return "\n".join(f"{k:<{width}}  {v:>8}" for k, v in rows)


def iter_page_files(inputs: Iterable[str | Path], *, ocr: bool = False) -> Iterator[Path]:
    """Files named directly, and page files found recursively in named folders: text and
    HTML pages, PDFs, hOCR and ALTO files (an ``.xml`` file only when it is ALTO), and with
    ``ocr`` page scans."""
    from newsnlp.ocr import IMAGE_SUFFIXES, ocr_kind

    suffixes = PAGE_SUFFIXES | {".pdf", ".hocr"} | (IMAGE_SUFFIXES if ocr else set())
    for item in inputs:
        path = Path(item)
        if path.is_dir():
            for p in sorted(path.rglob("*")):
                if p.is_file() and (p.suffix.lower() in suffixes or p.suffix.lower() == ".xml" and ocr_kind(p) == "alto"):
                    yield p
        else:
            yield path


# Options of the current batch, set in each worker by _init_worker (or in-process for jobs=1).
_options: dict[str, Any] = {}


def _init_worker(options: dict[str, Any], parent: int) -> None:
    """Set up a parser process of ``parent`` (its pid, taken before forking)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent handles Ctrl-C
    _options.clear()
    _options.update(options)

    def exit_with_parent() -> None:  # a killed parent must not leave workers (and its lock) behind
        while os.getppid() == parent:
            time.sleep(0.5)
        os._exit(1)

    threading.Thread(target=exit_with_parent, daemon=True).start()


def _process_file(path: Path) -> tuple[str, Any, Any]:
    """Parse one file (all its pages: a PDF has several), store its page JSON, and build its
    index documents.  A file that fails on any page stores none of them.

    Returns ``("ok", [(page_key, documents), ...], None)`` or ``("fail", message, None)``."""
    from newsnlp.index.store import page_documents

    try:
        pages = list(pipeline.parse_pages(
            path, paper=_options.get("paper"), page=_options.get("page"),
            publication_date=_options.get("publication_date"), topics_model=_options.get("topics_model"),
            userdict=_options.get("userdict"), ocr=_options.get("ocr", False)))
        store = PageStore(_options["archive"])
        for parsed in pages:
            store.save(parsed)
        return "ok", [(page_key(parsed.source), page_documents(parsed)) for parsed in pages], None
    except NewsnlpError as exc:
        return "fail", str(exc), None
    except Exception as exc:  # a parser bug must not stop a batch of thousands of pages
        return "fail", f"{path}: internal error {type(exc).__name__}: {exc}", None


def _bounded_map(pool, files: list[Path], *, window: int) -> Iterator[tuple[str, Any, Any]]:
    """``pool.imap_unordered`` over ``files`` in windows, so that parsed pages never pile up in
    memory faster than the single writer indexes them."""
    for start in range(0, len(files), window):
        yield from pool.imap_unordered(_process_file, files[start:start + window])


#: a batch commits every COMMIT_EVERY pages or COMMIT_SECONDS, whichever comes first: an interrupted
#: ingest loses at most that much work (its pages are stored and indexed again by the next run), and
#: fewer, larger segments mean less merging and faster searches (benchmarks/bench_index.py).
COMMIT_EVERY = 1000
COMMIT_SECONDS = 60.0


def ingest(
    inputs: Iterable[str | Path],
    archive: str | Path,
    *,
    publication_date: str | None = None,
    paper: str | None = None,
    page: str | None = None,
    progress: bool = False,
    jobs: int | None = None,
    commit_every: int = COMMIT_EVERY,
    commit_seconds: float = COMMIT_SECONDS,
    lock_timeout: float = 0.0,
    topics_model: str | Path | None = None,
    userdict: str | Path | None = None,
    ocr: bool = False,
    engine: str | None = None,
    opensearch_url: str | None = None,
    opensearch_index: str | None = None,
    opensearch_shards: int | None = None,
    dask: str | None = None,
) -> IngestReport:
    """Parse every page file under ``inputs``, store it in ``archive`` and index its articles.

    ``jobs``: parser processes (default: all cores; 1 parses in this process).  ``ocr``: run
    page scans (and PDFs, which then need no text layer) through Tesseract.  ``engine``:
    ``whoosh`` (default) or ``opensearch`` with ``opensearch_url`` (comma-separated node URLs),
    recorded in the archive for every later command (:mod:`newsnlp.index.engine`).  ``dask``:
    a Dask scheduler address or ``local:N``: the files are parsed (and, on OpenSearch, indexed)
    on its workers (:mod:`newsnlp.dask_ingest`) instead of ``jobs`` local processes.
    """
    from newsnlp.index.engine import choose_engine, open_writer, write_settings

    settings = choose_engine(archive, engine, url=opensearch_url, index=opensearch_index, shards=opensearch_shards)

    started = time.monotonic()
    report = IngestReport()
    seen: set[str] = set()
    files = []
    for path in iter_page_files(inputs, ocr=ocr):  # the same file twice would index it twice before a commit
        key = str(path.resolve()) if path.exists() else str(path)
        if key not in seen:
            seen.add(key)
            files.append(path)
    options = {"archive": str(archive), "publication_date": publication_date, "paper": paper, "page": page,
               "topics_model": topics_model, "userdict": userdict, "ocr": ocr}
    jobs = 1 if dask else max(1, min(jobs or os.cpu_count() or 1, len(files) or 1))

    client = None
    if dask:  # an unreachable scheduler fails here, before anything is stored
        from newsnlp import dask_ingest

        client = dask_ingest.connect(dask)
    # fails fast if another ingest writes or the cluster is unreachable, before anything is stored;
    # with several jobs and Whoosh, as many processes write segments
    try:
        writer = open_writer(archive, settings, lock_timeout=lock_timeout, procs=jobs)
    except BaseException:
        if client is not None:
            dask_ingest.close(client)
        raise
    if settings.engine != "whoosh":
        write_settings(archive, settings)
    bar = None
    if progress and len(files) > 1 and not dask:
        from tqdm import tqdm

        bar = tqdm(total=len(files), unit="file", desc="ingest", leave=False)  # (a PDF holds many pages)
    pool = None
    last_commit = time.monotonic()
    committed_keys: list[str] = []  # pages stored since the last commit: the registry takes them after it

    def update_registry() -> None:
        from newsnlp import registry

        note = registry.safe_update(archive, committed_keys)
        if note:
            report.notes.append(note)
        committed_keys.clear()
    try:
        if client is not None:
            def on_commit(keys: list[str]) -> None:
                committed_keys.extend(keys)
                update_registry()

            committed_keys.extend(dask_ingest.run(client, files, writer, settings, options, report, progress=progress,
                                                  commit_every=commit_every, on_commit=on_commit))
            results: Iterable = ()  # the final commit below takes the last pages
        elif jobs == 1:
            _options.clear()
            _options.update(options)
            results = map(_process_file, files)
        else:
            import multiprocessing

            pool = multiprocessing.get_context("fork").Pool(jobs, initializer=_init_worker,
                                                              initargs=(options, os.getpid()))
            results = _bounded_map(pool, files, window=jobs * 16)
        for status, value, _ in results:
            if status == "ok":
                for key, documents in value:
                    report.articles += writer.replace_page(key, documents)
                    report.pages += 1
                    committed_keys.append(key)
            else:
                report.failures.append(value)
            if writer.pending_pages >= commit_every or (
                    writer.pending_pages and time.monotonic() - last_commit >= commit_seconds):
                writer.commit()
                report.commits += 1
                last_commit = time.monotonic()
                update_registry()
            if bar is not None:
                bar.update(1)
                bar.set_postfix(pages=report.pages, articles=report.articles, refresh=False)
        writer.commit()
        report.commits += 1
        update_registry()
        writer.finish_merges()
    except KeyboardInterrupt:
        if pool is not None:
            pool.terminate()
            pool = None
        writer.close(finish_merges=False)  # keep what was parsed and stored so far, now
        raise
    except BaseException:
        if pool is not None:
            pool.terminate()
            pool = None
        writer.cancel()
        raise
    finally:
        if pool is not None:
            pool.close()
            pool.join()
        writer.release()
        if bar is not None:
            bar.close()
    report.seconds = time.monotonic() - started
    return report


def reindex(archive: str | Path, *, progress: bool = False, commit_every: int = COMMIT_EVERY,
            jobs: int | None = None) -> IngestReport:
    """Index every stored page of ``archive`` again from its page JSON, without parsing.

    Brings the index back in line with ``pages/`` after an ingest that was killed between
    storing pages and committing them, or after a change of the index analysis.
    """
    from newsnlp.index.engine import open_writer

    started = time.monotonic()
    store = PageStore(archive)
    store.require()
    report = IngestReport()
    bar = None
    if progress:
        from tqdm import tqdm

        bar = tqdm(total=len(store), unit="page", desc="reindex", leave=False)
    # OpenSearch: a new index, swapped in behind the alias when it is complete
    with open_writer(archive, procs=max(1, jobs or os.cpu_count() or 1), rebuild=True) as writer:
        for page in store.iter_pages():
            report.articles += writer.add_page(page)
            report.pages += 1
            if writer.pending_pages >= commit_every:
                writer.commit()
                report.commits += 1
            if bar is not None:
                bar.update(1)
    report.commits += 1
    if bar is not None:
        bar.close()
    from newsnlp import registry

    try:
        registry.rebuild(archive)
    except Exception as exc:  # derived data: rebuilt when next read
        registry._remove(registry.registry_path(archive))
        report.notes.append(f"officials registry not rebuilt ({type(exc).__name__}: {exc}); it is rebuilt when next read")
    report.seconds = time.monotonic() - started
    return report
