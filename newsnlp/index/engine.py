"""Which search engine an archive uses, recorded in ``ARCHIVE/settings.json``.

Whoosh (an index folder inside the archive) is the default and needs no settings file.
An archive ingested with ``--engine opensearch`` records the cluster's URLs and the index
alias there; every later command (search, show, stats, export, serve, the Python API)
reads it.  ``NEWSNLP_OPENSEARCH_URL`` (comma-separated URLs) overrides the recorded URLs,
for a cluster that moved.
"""
from __future__ import annotations

import json
import os
import re
from dataclasses import asdict, dataclass, field
from pathlib import Path

from newsnlp.errors import ArchiveError

ENGINES = ("whoosh", "opensearch")
SETTINGS_FILE = "settings.json"
URL_ENV = "NEWSNLP_OPENSEARCH_URL"


@dataclass
class EngineSettings:
    """The engine of one archive; for OpenSearch, its node URLs and index alias."""

    engine: str = "whoosh"
    opensearch_urls: list[str] = field(default_factory=list)
    opensearch_index: str | None = None
    opensearch_shards: int = 1

    def to_dict(self) -> dict:
        return asdict(self)


def settings_path(archive: str | Path) -> Path:
    return Path(archive) / SETTINGS_FILE


def split_urls(value: str | None) -> list[str]:
    return [u.strip().rstrip("/") for u in (value or "").split(",") if u.strip()]


def default_index_name(archive: str | Path) -> str:
    """``newsnlp-`` + the archive folder's name, as OpenSearch allows index names."""
    name = re.sub(r"[^a-z0-9_-]+", "-", Path(archive).resolve().name.lower()).strip("-_") or "archive"
    return f"newsnlp-{name}"


def read_settings(archive: str | Path) -> EngineSettings:
    """The archive's engine settings (Whoosh when the archive has no settings file)."""
    path = settings_path(archive)
    if not path.is_file():
        return EngineSettings()
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        settings = EngineSettings(**data)
    except (ValueError, TypeError) as exc:
        raise ArchiveError(f"{path} is not a valid settings file ({exc})") from None
    if settings.engine not in ENGINES:
        raise ArchiveError(f"{path}: unknown engine {settings.engine!r} (known: {', '.join(ENGINES)})")
    env_urls = split_urls(os.environ.get(URL_ENV))
    if settings.engine == "opensearch" and env_urls:
        settings.opensearch_urls = env_urls
    return settings


def write_settings(archive: str | Path, settings: EngineSettings) -> None:
    path = settings_path(archive)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".tmp")
    tmp.write_text(json.dumps(settings.to_dict(), ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    tmp.replace(path)


def choose_engine(archive: str | Path, engine: str | None = None, *, url: str | None = None,
                  index: str | None = None, shards: int | None = None) -> EngineSettings:
    """The settings an ingest into ``archive`` uses: the recorded ones, or new ones from
    ``engine``/``url``/``index`` for an archive without an index yet.  Asking for another engine
    than the archive's is an error (its articles would be split over two engines)."""
    current = read_settings(archive)
    from newsnlp.index.store import index_dir

    has_whoosh_index = index_dir(archive).is_dir()
    recorded = settings_path(archive).is_file() or has_whoosh_index
    if engine is None:
        engine = current.engine if recorded else ("opensearch" if url else "whoosh")
    if engine not in ENGINES:
        raise ArchiveError(f"unknown engine {engine!r} (known: {', '.join(ENGINES)})")
    if recorded and engine != current.engine:
        raise ArchiveError(f"the archive {archive} uses the {current.engine} engine; ingest into another "
                           f"--archive to use {engine}")
    if engine == "whoosh":
        return current
    urls = split_urls(url) or current.opensearch_urls or split_urls(os.environ.get(URL_ENV))
    if not urls:
        raise ArchiveError(f"--engine opensearch needs --opensearch-url URL (or ${URL_ENV})")
    name = index or current.opensearch_index or default_index_name(archive)
    if current.opensearch_index and index and index != current.opensearch_index:
        raise ArchiveError(f"the archive {archive} uses the OpenSearch index {current.opensearch_index!r}, "
                           f"not {index!r}")
    if not re.fullmatch(r"[a-z0-9][a-z0-9_-]*", name):
        raise ArchiveError(f"{name!r} is not a valid OpenSearch index name (lower-case letters, digits, - and _)")
    return EngineSettings("opensearch", urls, name, shards or current.opensearch_shards)


def has_index(archive: str | Path) -> bool:
    """Whether ``archive`` has been indexed: an OpenSearch archive (settings recorded) or a
    Whoosh index folder."""
    if read_settings(archive).engine == "opensearch":
        return True
    from newsnlp.index.store import index_exists

    return index_exists(archive)


def open_writer(archive: str | Path, settings: EngineSettings | None = None, *, lock_timeout: float = 0.0,
                procs: int = 1, rebuild: bool = False):
    """The index writer of ``archive`` in its engine (``replace_page``, ``commit``, ``close``)."""
    settings = settings or read_settings(archive)
    if settings.engine == "opensearch":
        from newsnlp.index.opensearch import OpenSearchWriter

        return OpenSearchWriter(archive, settings, lock_timeout=lock_timeout, rebuild=rebuild)
    from newsnlp.index.store import IndexWriter

    return IndexWriter(archive, lock_timeout=lock_timeout, procs=procs)
