"""The archive directory: one JSON file per ingested page, written atomically.

Layout::

    ARCHIVE/
      pages/<key>.json   one page (Page.to_dict()), key = hash of the source path
      index/             the Whoosh index (newsnlp.index)

Re-ingesting the same source replaces its file, so there are never duplicates.
"""
from __future__ import annotations

import hashlib
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path

from newsnlp.errors import ArchiveError
from newsnlp.model import Article, Page

DEFAULT_ARCHIVE = "newsnlp-archive"


def default_archive_path() -> Path:
    """``$NEWSNLP_ARCHIVE`` or ``./newsnlp-archive``."""
    return Path(os.environ.get("NEWSNLP_ARCHIVE") or DEFAULT_ARCHIVE)


def page_key(source: str) -> str:
    """Stable file key for a page's source (absolute path or URL)."""
    return hashlib.sha1(source.encode("utf-8")).hexdigest()[:16]


def write_atomic(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old or the new file, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except FileNotFoundError:
            pass
        raise


class PageStore:
    """The page JSON files of one archive directory."""

    def __init__(self, root: str | Path):
        self.root = Path(root)
        self.pages_dir = self.root / "pages"

    def exists(self) -> bool:
        return self.pages_dir.is_dir()

    def require(self) -> None:
        if not self.exists():
            raise ArchiveError(f"no archive at {self.root} (run `newsnlp ingest` first or pass --archive)")

    def path_for(self, page: Page) -> Path:
        return self.pages_dir / f"{page_key(page.source)}.json"

    def save(self, page: Page) -> Path:
        """Store ``page``, replacing an earlier ingest of the same source."""
        path = self.path_for(page)
        data = json.dumps(page.to_dict(), ensure_ascii=False, indent=1).encode("utf-8")
        write_atomic(path, data)
        return path

    def load(self, path: Path) -> Page:
        try:
            return Page.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except (OSError, ValueError, TypeError) as exc:
            raise ArchiveError(f"{path}: unreadable page file ({exc})") from None

    def iter_pages(self) -> Iterator[Page]:
        self.require()
        for path in sorted(self.pages_dir.glob("*.json")):
            yield self.load(path)

    def iter_articles(self) -> Iterator[tuple[Page, Article]]:
        for page in self.iter_pages():
            for article in page.articles:
                yield page, article

    def __len__(self) -> int:
        return len(list(self.pages_dir.glob("*.json"))) if self.exists() else 0
