"""Ingest on a Dask cluster: read -> tidy -> split -> extract -> topics on the workers.

``newsnlp ingest DIR --dask tcp://SCHEDULER:8786`` (or ``--dask local:N`` for a local cluster
of N worker processes) sends the page files in batches to Dask workers.  Each batch parses its
files, writes the page JSON to the archive's store (the archive must be on a filesystem the
workers share) and, on the OpenSearch engine, bulk-indexes its articles from the worker; on
Whoosh, the documents come back to this process, the index's single writer.

A batch whose worker dies is run again by Dask on another worker (``allowed-failures``);
since page files are replaced whole and articles are indexed under their ids, a batch run
twice stores and indexes nothing twice.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from newsnlp.errors import NewsnlpError

BATCH_FILES = 16  # files per task: large enough to amortise scheduling, small enough to balance


class DaskError(NewsnlpError):
    """The Dask scheduler cannot be reached or went away."""


def _process_batch(paths: list[str], options: dict[str, Any], settings: dict[str, Any] | None) -> dict[str, Any]:
    """Parse and store ``paths`` on a worker; with OpenSearch ``settings``, index them too.

    Returns pages, articles and failures, the stored page keys and, without OpenSearch,
    the Whoosh documents for the client's writer."""
    from newsnlp import ingest as ingest_mod

    ingest_mod._options.clear()
    ingest_mod._options.update(options)
    out: dict[str, Any] = {"files": len(paths), "pages": 0, "articles": 0, "failures": [], "keys": [], "documents": []}
    for path in paths:
        status, value, _ = ingest_mod._process_file(Path(path))
        if status != "ok":
            out["failures"].append(value)
            continue
        for key, documents in value:
            out["pages"] += 1
            out["articles"] += len(documents)
            out["keys"].append(key)
            out["documents"].append((key, documents))
    if settings is not None and out["documents"]:
        from newsnlp.index.engine import EngineSettings
        from newsnlp.index.opensearch import Cluster, bulk_index, delete_stale, document

        cluster = Cluster(EngineSettings(**settings))
        index = cluster.open()
        bulk_index(cluster, index, [document(d) for _, docs in out["documents"] for d in docs])
        delete_stale(cluster, index, {key: [d["id"] for d in docs] for key, docs in out["documents"]})
        cluster.client.close()
        out["documents"] = []
    return out


def connect(address: str):
    """A Dask client: ``local:N`` starts a local cluster of N worker processes (one thread
    each); anything else is a scheduler address (``tcp://host:8786``)."""
    try:
        from dask.distributed import Client, LocalCluster
    except ImportError:
        raise DaskError("--dask needs Dask: pip install 'newsnlp[dask]'") from None
    if address.startswith("local:") or address == "local":
        try:
            workers = int(address.partition(":")[2] or 2)
        except ValueError:
            raise DaskError(f"--dask {address}: expected local:N (N worker processes)") from None
        cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster)
    try:
        return Client(address, timeout="10s")
    except (OSError, TimeoutError) as exc:
        raise DaskError(f"no Dask scheduler at {address} ({exc})") from None


def run(client, files: list[Path], writer, settings, options: dict[str, Any], report, *,
        progress: bool, commit_every: int, on_commit) -> list[str]:
    """Run the batches of ``files`` on the Dask ``client``'s cluster (closed at the end); fill ``report``;
    return the keys of the pages stored since the last commit (the caller makes the final one).

    ``writer``: the archive's open index writer (Whoosh documents are written through it;
    for OpenSearch it holds the lock and refreshes at the end); ``on_commit(keys)`` runs after
    each commit with the page keys it made durable (the officials registry)."""
    from dask.distributed import as_completed

    remote = settings.to_dict() if settings.engine == "opensearch" else None
    bar = None
    try:
        batches = [[str(p) for p in files[i:i + BATCH_FILES]] for i in range(0, len(files), BATCH_FILES)]
        futures = [client.submit(_process_batch, batch, options, remote, key=f"newsnlp-batch-{i}-{time.time_ns()}",
                                 retries=2, pure=False) for i, batch in enumerate(batches)]
        if progress:
            from tqdm import tqdm

            bar = tqdm(total=len(files), unit="file", desc="ingest (dask)", leave=False)
        keys: list[str] = []
        for future in as_completed(futures):
            result = future.result()
            report.pages += result["pages"]
            report.articles += result["articles"]
            report.failures.extend(result["failures"])
            keys.extend(result["keys"])
            for key, documents in result["documents"]:
                writer.replace_page(key, documents)
            if len(keys) >= commit_every:
                writer.commit()
                report.commits += 1
                on_commit(keys)
                keys = []
            if bar is not None:
                bar.update(result["files"])
                bar.set_postfix(pages=report.pages, articles=report.articles, refresh=False)
        return keys
    except NewsnlpError:
        raise
    except Exception as exc:  # the scheduler went away, or a batch failed on every retry
        why = " ".join(str(exc).split())[:200]  # one line, however Dask words it
        raise DaskError(f"the Dask ingest stopped ({type(exc).__name__}: {why}); pages stored so far are kept: "
                        "run the same ingest again (it replaces, never doubles)") from None
    finally:
        if bar is not None:
            bar.close()
        close(client)


def close(client) -> None:
    """Close the client, and the local cluster it started (if any)."""
    cluster = getattr(client, "cluster", None)
    client.close()
    if cluster is not None:
        cluster.close()
