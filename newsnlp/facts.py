"""The archive as tables for analysis: ``newsnlp.load(archive).officials()`` and friends.

>>> import newsnlp
>>> archive = newsnlp.load("newsnlp-archive")                       # doctest: +SKIP
>>> archive.officials()                   # a pandas DataFrame        # doctest: +SKIP
>>> archive.figures(query="医保", date_from="2022")                 # doctest: +SKIP
>>> archive.articles(as_frame=False)[0].headline                    # doctest: +SKIP

Each method returns the rows of one kind with the columns of ``newsnlp export --what KIND``
(see :data:`newsnlp.export.COLUMNS`): a pandas DataFrame when pandas is installed, else a
list of row dataclasses (:class:`~newsnlp.export.OfficialRow` ...).  ``query`` and the
keyword filters are those of :meth:`newsnlp.index.Archive.search`; without them no index is
needed.
"""
from __future__ import annotations

from pathlib import Path
from typing import Any

from newsnlp.export import COLUMNS, REGISTRY_KINDS, ROW_TYPES, ArticleSource, check_kinds, iter_rows, read_rows, registry_rows


def pandas_available() -> bool:
    try:
        import pandas  # noqa: F401
    except ImportError:
        return False
    return True


class ArchiveTables:
    """Tables of articles and facts read from an archive directory."""

    def __init__(self, archive: str | Path):
        self.path = Path(archive)
        ArticleSource(self.path)  # fails now, with a clear message, when there is no archive

    def __repr__(self) -> str:
        return f"ArchiveTables({str(self.path)!r})"

    def table(self, kind: str, *, query: str | None = None, as_frame: bool | None = None, **filters: Any):
        """Rows of ``kind`` (one of :data:`newsnlp.export.KINDS`) for the matching articles.

        ``as_frame``: True for a DataFrame (needs pandas), False for a list of row dataclasses,
        None (default) for a DataFrame when pandas is installed.
        """
        (kind,) = check_kinds([kind])
        source = ArticleSource(self.path, query=query, filters=filters)
        if kind in REGISTRY_KINDS:
            tuples = list(registry_rows(source, kind))
        else:
            tuples = [row for _, row in iter_rows(source, [kind])]
        if as_frame is None:
            as_frame = pandas_available()
        if not as_frame:
            row_type = ROW_TYPES[kind]
            return [row_type(*row) for row in tuples]
        import pandas as pd

        frame = pd.DataFrame.from_records(tuples, columns=[name for name, _ in COLUMNS[kind]])
        for name, typ in COLUMNS[kind]:
            if typ == "int":
                frame[name] = frame[name].astype("Int64")
            elif typ == "float":
                frame[name] = frame[name].astype("Float64")
            elif typ == "bool":
                frame[name] = frame[name].astype("boolean")
        return frame

    def rows(self, kind: str, *, query: str | None = None, **filters: Any):
        """Row dataclasses of ``kind``, streamed one page at a time (constant memory)."""
        return read_rows(self.path, kind, query=query, **filters)

    def articles(self, **kwargs):
        """One row per article: provenance, byline, topics, text."""
        return self.table("articles", **kwargs)

    def officials(self, **kwargs):
        """Persons with their posts (name, title, org, sentence)."""
        return self.table("officials", **kwargs)

    def figures(self, **kwargs):
        """Numbers with units, normalised ``value``/``value_max``, offsets."""
        return self.table("figures", **kwargs)

    def dates(self, **kwargs):
        """Date expressions resolved to ISO ``value``/``value_end``, offsets."""
        return self.table("dates", **kwargs)

    def entities(self, **kwargs):
        """Persons, places and organisations with offsets."""
        return self.table("entities", **kwargs)

    def quoted_terms(self, **kwargs):
        """Quoted campaign terms with their count per article."""
        return self.table("quoted_terms", **kwargs)

    def topics(self, **kwargs):
        """Topic labels with scores, one row per label."""
        return self.table("topics", **kwargs)

    def posts(self, **kwargs):
        """Posts of the officials registry: normalised title, org, place, holders, mentions."""
        return self.table("posts", **kwargs)

    def tenures(self, **kwargs):
        """People in posts (officials registry): first and last date seen, mentions, article ids."""
        return self.table("tenures", **kwargs)

    def appointments(self, **kwargs):
        """Appointments, removals, elections, nominations and posts held, with person ids."""
        return self.table("appointments", **kwargs)

    def export(self, output, **kwargs):
        """:func:`newsnlp.export.export` of this archive."""
        from newsnlp.export import export

        return export(self.path, output, **kwargs)


def load(archive: str | Path) -> ArchiveTables:
    """Open ``archive`` for analysis; raises :class:`~newsnlp.errors.ArchiveError` when it does not exist."""
    return ArchiveTables(archive)
