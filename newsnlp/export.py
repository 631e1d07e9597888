"""Export an archive's articles and facts as flat rows: JSON lines, CSV, Parquet or SQLite.

One row per fact (or per article), each with its provenance: ``article_id``, ``paper``,
``publication_date``, ``page``, ``section``, ``headline``, ``source``, character offsets
into the article text where the fact has them, and ``newsnlp_version``.  Column names
are stable (see :data:`COLUMNS` and the README section "Export columns").

>>> from newsnlp.export import export
>>> export("newsnlp-archive", "officials.csv", kinds=["officials"], fmt="csv")   # doctest: +SKIP

Memory stays bounded whatever the archive size:

* without a query or filter, pages are read one at a time (only the sorted list of
  page file names is held);
* with one, article ids are streamed from the index (:meth:`Archive.iter_matching_ids`,
  which holds one set of matching document numbers), each id is located through the
  index's stored ``page_key``/``position`` and its page is read from a small LRU cache.
  Articles of a page are adjacent in index order, so each page is read about once, and
  a query that matches 50 articles of a 1M-article archive reads only their pages.

Writers stream too: CSV and JSON lines row by row, Parquet in row groups of
:data:`BATCH_ROWS`, SQLite in one transaction with batched inserts.  Files are written
to a temporary name beside the target and renamed when complete.
"""
from __future__ import annotations

import csv
import io
import json
import os
import sqlite3
import sys
import tempfile
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import IO, Any

from newsnlp.errors import NewsnlpError
from newsnlp.model import Article, Page
from newsnlp.store import PageStore

KINDS = ("articles", "officials", "figures", "dates", "entities", "quoted_terms", "topics")
#: tables of the officials registry (newsnlp.registry): rows per post, tenure or event, not per article
REGISTRY_KINDS = ("posts", "tenures", "appointments")
ALL_KINDS = KINDS + REGISTRY_KINDS
FORMATS = ("jsonl", "csv", "parquet", "sqlite")
#: keyword filters accepted next to ``query`` (the same as ``Archive.search``)
FILTERS = ("date_from", "date_to", "topic", "person", "place", "org", "reporter", "paper", "official")
BATCH_ROWS = 10_000
LIST_SEPARATOR = "; "  # joins reporters and topic labels in the articles table


class ExportError(NewsnlpError):
    """An export that cannot run as asked (unknown kind or format, missing extra)."""


def _version() -> str:
    from newsnlp import __version__

    return __version__


# ---------------------------------------------------------------- row records

@dataclass
class ArticleRow:
    """One article (``--what articles``)."""

    article_id: str
    paper: str | None
    publication_date: str | None
    page: str | None
    section: str | None
    headline: str
    source: str
    position: int  # article's place on its page, from 0
    kicker: str | None
    subtitle: str | None
    dateline: str | None
    byline: str | None
    reporters: str  # names joined by "; "
    topics: str  # labels, best first, joined by "; "
    chars: int  # length of text
    text: str  # body paragraphs joined by newlines; fact offsets point into it
    newsnlp_version: str


@dataclass
class OfficialRow:
    """A person holding a post (``--what officials``)."""

    article_id: str
    paper: str | None
    publication_date: str | None
    page: str | None
    section: str | None
    headline: str
    source: str
    seq: int  # index of the fact within its article, from 0
    name: str
    title: str
    org: str | None
    sentence: str
    newsnlp_version: str


@dataclass
class FigureRow:
    """A number with its unit, normalised (``--what figures``)."""

    article_id: str
    paper: str | None
    publication_date: str | None
    page: str | None
    section: str | None
    headline: str
    source: str
    seq: int
    text: str
    value: float | None
    value_max: float | None
    unit: str | None
    approx: bool
    subject: str | None
    start: int
    end: int
    newsnlp_version: str


@dataclass
class DateRow:
    """A date expression resolved to ISO (``--what dates``)."""

    article_id: str
    paper: str | None
    publication_date: str | None
    page: str | None
    section: str | None
    headline: str
    source: str
    seq: int
    text: str
    value: str | None
    value_end: str | None  # end of a range (DateMention.end)
    granularity: str
    start: int
    end: int  # offset (DateMention.end_offset)
    basis: str | None  # explicit | publication | context | lunar (DateMention.basis)
    newsnlp_version: str


@dataclass
class EntityRow:
    """A person, place or organisation (``--what entities``)."""

    article_id: str
    paper: str | None
    publication_date: str | None
    page: str | None
    section: str | None
    headline: str
    source: str
    seq: int
    text: str
    type: str
    refers_to: str | None
    start: int
    end: int
    form: str | None  # a person named by form of address ("address") or anonymised ("anonymised")
    newsnlp_version: str


@dataclass
class QuotedTermRow:
    """A quoted campaign or policy term (``--what quoted_terms``)."""

    article_id: str
    paper: str | None
    publication_date: str | None
    page: str | None
    section: str | None
    headline: str
    source: str
    seq: int
    term: str
    count: int
    newsnlp_version: str


@dataclass
class TopicRow:
    """A topic label of an article (``--what topics``)."""

    article_id: str
    paper: str | None
    publication_date: str | None
    page: str | None
    section: str | None
    headline: str
    source: str
    seq: int  # rank, 0 = best
    label: str
    score: float
    newsnlp_version: str


@dataclass
class PostRow:
    """A post of the officials registry (``--what posts``)."""

    post_id: int
    title: str  # normalised: 书记 for 党委书记/党组书记; 副 kept
    org: str  # the body without its place: 县委, 市财政局, 国务院
    place: str  # 扶沟县; empty when not known
    org_name: str  # place and org as printed: 扶沟县委
    acting: bool  # 代
    former: bool  # 原, 时任, 前: seen only as a past post
    holders: int  # people seen in it
    mentions: int
    newsnlp_version: str


@dataclass
class TenureRow:
    """A person in a post (``--what tenures``)."""

    person_id: str
    name: str
    post_id: int
    title: str
    org: str
    place: str
    org_name: str
    acting: bool
    former: bool
    first_seen: str | None  # date of the first article seen
    last_seen: str | None
    mentions: int
    articles: str  # article ids joined by ";"
    newsnlp_version: str


@dataclass
class AppointmentRow:
    """An appointment, removal, election, nomination or post held (``--what appointments``)."""

    person_id: str | None  # empty when the name was not resolved to a person
    name: str
    kind: str  # appoint | remove | elect | nominate | hold
    title: str
    org: str
    place: str
    org_name: str
    acting: bool
    date: str | None  # the day printed in the sentence, else the publication date
    article_id: str
    sentence: str
    newsnlp_version: str


ROW_TYPES: dict[str, type] = {
    "articles": ArticleRow, "officials": OfficialRow, "figures": FigureRow, "dates": DateRow,
    "entities": EntityRow, "quoted_terms": QuotedTermRow, "topics": TopicRow,
    "posts": PostRow, "tenures": TenureRow, "appointments": AppointmentRow,
}


def _column_type(annotation: str) -> str:
    for name in ("bool", "int", "float"):
        if annotation.split(" | ")[0] == name:
            return name
    return "str"


#: kind -> [(column, type)] with type one of str, int, float, bool
COLUMNS: dict[str, list[tuple[str, str]]] = {
    kind: [(f.name, _column_type(str(f.type))) for f in fields(row)] for kind, row in ROW_TYPES.items()
}


# ---------------------------------------------------------------- rows from a page

def _article_tuples(prov: tuple, position: int, a: Article, version: str) -> list[tuple]:
    text = a.text
    return [prov + (position, a.kicker, a.subtitle, a.dateline, a.byline, LIST_SEPARATOR.join(a.reporters),
                    LIST_SEPARATOR.join(t.label for t in a.topics), len(text), text, version)]


def _official_tuples(prov, position, a, version):
    return [prov + (i, o.name, o.title, o.org, o.sentence, version) for i, o in enumerate(a.officials)]


def _figure_tuples(prov, position, a, version):
    return [prov + (i, f.text, f.value, f.value_max, f.unit, bool(f.approx), f.subject, f.start, f.end, version)
            for i, f in enumerate(a.figures)]


def _date_tuples(prov, position, a, version):
    return [prov + (i, d.text, d.value, d.end, d.granularity, d.start, d.end_offset, d.basis, version)
            for i, d in enumerate(a.dates)]


def _entity_tuples(prov, position, a, version):
    return [prov + (i, e.text, e.type, e.refers_to, e.start, e.end, e.form, version) for i, e in enumerate(a.entities)]


def _term_tuples(prov, position, a, version):
    return [prov + (i, q.term, q.count, version) for i, q in enumerate(a.quoted_terms)]


def _topic_tuples(prov, position, a, version):
    return [prov + (i, t.label, t.score, version) for i, t in enumerate(a.topics)]


_ROWS: dict[str, Callable[[tuple, int, Article, str], list[tuple]]] = {
    "articles": _article_tuples, "officials": _official_tuples, "figures": _figure_tuples,
    "dates": _date_tuples, "entities": _entity_tuples, "quoted_terms": _term_tuples, "topics": _topic_tuples,
}


def provenance(page: Page, article: Article) -> tuple:
    """The first seven columns of every row."""
    return (article.id, page.paper, page.publication_date, page.page, page.section, article.title, page.source)


def check_kinds(kinds: Iterable[str]) -> list[str]:
    out = []
    for kind in kinds:
        kind = kind.strip()
        if kind not in ALL_KINDS:
            raise ExportError(f"unknown kind {kind!r} for --what (choose from {', '.join(ALL_KINDS)})")
        if kind not in out:
            out.append(kind)
    if not out:
        raise ExportError(f"nothing to export: name a kind ({', '.join(KINDS)})")
    return out


# ---------------------------------------------------------------- reading the archive

@dataclass
class ArticleSource:
    """Where the articles of an export come from; iterate for ``(page, position, article)``."""

    archive: Path
    query: str | None = None
    filters: dict[str, Any] = field(default_factory=dict)
    missing: int = 0  # ids the index matched whose page file is gone or changed
    cache_pages: int = 16

    def __post_init__(self):
        self.archive = Path(self.archive)
        unknown = set(self.filters) - set(FILTERS)
        if unknown:
            raise ExportError(f"unknown filter {sorted(unknown)[0]!r} (known: {', '.join(FILTERS)})")
        self.filters = {k: v for k, v in self.filters.items() if v not in (None, "", [], ())}
        self.store = PageStore(self.archive)
        self.store.require()

    @property
    def filtered(self) -> bool:
        return bool((self.query or "").strip() or self.filters)

    def total(self) -> tuple[int, str]:
        """(how many units the iteration goes through, unit name), for progress bars."""
        if not self.filtered:
            return len(self.store), "page"
        from newsnlp.index import Archive

        return Archive(self.archive).search(self.query, limit=0, **self.filters).total, "article"

    def __iter__(self) -> Iterator[tuple[Page, int, Article]]:
        return self._matching() if self.filtered else self._all()

    def _all(self):
        for page in self.store.iter_pages():
            for position, article in enumerate(page.articles):
                yield page, position, article

    def _matching(self):
        from newsnlp.index import Archive

        archive = Archive(self.archive)
        try:
            pages: OrderedDict[str | None, Page | None] = OrderedDict()
            for article_id, key, position in archive.iter_matching(self.query, **self.filters):
                page = pages[key] if key in pages else self._load(key)
                pages[key] = page
                pages.move_to_end(key)
                if len(pages) > self.cache_pages:
                    pages.popitem(last=False)
                found = _find(page, article_id, position) if page is not None else None
                if found is None:
                    self.missing += 1
                    continue
                yield page, found, page.articles[found]
        finally:
            archive.close()

    def _load(self, key: str | None) -> Page | None:
        path = self.store.pages_dir / f"{key}.json"
        return self.store.load(path) if key and path.is_file() else None


def _find(page: Page, article_id: str, position: int | None) -> int | None:
    if position is not None and 0 <= position < len(page.articles) and page.articles[position].id == article_id:
        return position
    return next((i for i, a in enumerate(page.articles) if a.id == article_id), None)


def iter_rows(source: ArticleSource, kinds: Iterable[str]) -> Iterator[tuple[str, tuple]]:
    """``(kind, row tuple)`` for every matching article, columns in :data:`COLUMNS` order."""
    makers = [(kind, _ROWS[kind]) for kind in check_kinds(kinds) if kind in _ROWS]
    version = _version()
    for page, position, article in source:
        prov = provenance(page, article)
        for kind, make in makers:
            for row in make(prov, position, article, version):
                yield kind, row


# ---------------------------------------------------------------- writers

def _csv_value(value: Any) -> Any:
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return value


class _TextWriter:
    """JSON lines or CSV of one kind, to a text stream."""

    def __init__(self, stream: IO[str], kind: str, fmt: str):
        self.stream, self.names = stream, [name for name, _ in COLUMNS[kind]]
        if fmt == "csv":
            self._csv = csv.writer(stream, lineterminator="\r\n")
            self._csv.writerow(self.names)
            self.add = self._add_csv
        else:
            self.add = self._add_json

    def _add_json(self, kind: str, row: tuple) -> None:
        self.stream.write(json.dumps(dict(zip(self.names, row)), ensure_ascii=False) + "\n")

    def _add_csv(self, kind: str, row: tuple) -> None:
        self._csv.writerow([_csv_value(v) for v in row])

    def close(self) -> None:
        self.stream.flush()


_ARROW_TYPES = {"str": "string", "int": "int64", "float": "float64", "bool": "bool_"}


def require_pyarrow():
    try:
        import pyarrow
        import pyarrow.parquet  # noqa: F401
    except ImportError:
        raise ExportError("Parquet export needs pyarrow: pip install 'newsnlp[parquet]'") from None
    return pyarrow


class _ParquetWriter:
    def __init__(self, path: Path, kind: str):
        pa = require_pyarrow()
        import pyarrow.parquet as pq

        self.pa = pa
        self.schema = pa.schema([(name, getattr(pa, _ARROW_TYPES[t])()) for name, t in COLUMNS[kind]],
                                metadata={"newsnlp_version": _version(), "newsnlp_kind": kind})
        self.writer = pq.ParquetWriter(str(path), self.schema, compression="zstd")
        self.rows: list[tuple] = []

    def add(self, kind: str, row: tuple) -> None:
        self.rows.append(row)
        if len(self.rows) >= BATCH_ROWS:
            self._flush()

    def _flush(self) -> None:
        if self.rows:
            columns = list(zip(*self.rows))
            self.writer.write_table(self.pa.Table.from_arrays(
                [self.pa.array(c, type=f.type) for c, f in zip(columns, self.schema)], schema=self.schema))
            self.rows = []

    def close(self) -> None:
        self._flush()
        self.writer.close()


_SQL_TYPES = {"str": "TEXT", "int": "INTEGER", "float": "REAL", "bool": "INTEGER"}


class _SqliteWriter:
    """One table per kind, an index on ``article_id``, an FTS5 table over articles."""

    def __init__(self, path: Path, kinds: list[str], *, info: dict[str, Any]):
        self.db = sqlite3.connect(str(path), isolation_level=None)
        self.db.execute("PRAGMA journal_mode=OFF")
        self.db.execute("PRAGMA synchronous=OFF")
        self.db.execute("BEGIN")
        self.kinds = kinds
        self.pending: dict[str, list[tuple]] = {k: [] for k in kinds}
        self.sql: dict[str, str] = {}
        for kind in kinds:
            cols = COLUMNS[kind]
            self.db.execute(f"CREATE TABLE [{kind}] ({', '.join(f'[{n}] {_SQL_TYPES[t]}' for n, t in cols)})")
            self.sql[kind] = f"INSERT INTO [{kind}] VALUES ({', '.join('?' * len(cols))})"
        self.db.execute("CREATE TABLE export_info (key TEXT PRIMARY KEY, value TEXT)")
        self.db.executemany("INSERT INTO export_info VALUES (?, ?)",
                            [(k, v if isinstance(v, str) else json.dumps(v, ensure_ascii=False))
                             for k, v in info.items()])

    def add(self, kind: str, row: tuple) -> None:
        rows = self.pending[kind]
        rows.append(row)
        if len(rows) >= BATCH_ROWS:
            self.db.executemany(self.sql[kind], rows)
            rows.clear()

    def close(self) -> None:
        for kind, rows in self.pending.items():
            if rows:
                self.db.executemany(self.sql[kind], rows)
        for kind in self.kinds:
            if "article_id" in dict(COLUMNS[kind]):
                self.db.execute(f"CREATE INDEX [{kind}_article_id] ON [{kind}] (article_id)")
        if "articles" in self.kinds:
            # trigram: Chinese has no spaces, so unicode61 would index whole sentences as one token
            self.db.execute("CREATE VIRTUAL TABLE articles_fts USING fts5(headline, text, "
                            "content='articles', content_rowid='rowid', tokenize='trigram')")
            self.db.execute("INSERT INTO articles_fts (articles_fts) VALUES ('rebuild')")
        self.db.execute("COMMIT")
        self.db.close()

    def abort(self) -> None:
        self.db.close()


# ---------------------------------------------------------------- export

@dataclass
class ExportReport:
    """What an export wrote."""

    articles: int = 0
    rows: dict[str, int] = field(default_factory=dict)
    missing: int = 0  # matched by the index but not found in the page files (stale index)
    output: str = "-"

    def summary(self) -> str:
        counts = ", ".join(f"{n} {kind}" for kind, n in self.rows.items())
        line = f"exported {counts} rows from {self.articles} articles to {self.output}"
        if self.missing:
            line += f" ({self.missing} matched articles missing from the page files; re-run `newsnlp ingest`)"
        return line


def _temp_beside(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(fd)
    return Path(tmp)


def export(
    archive: str | Path,
    output: str | Path | IO[str] | None = None,
    *,
    kinds: Iterable[str] = ("articles",),
    fmt: str = "jsonl",
    query: str | None = None,
    bom: bool = False,
    progress: bool = False,
    **filters: Any,
) -> ExportReport:
    """Write the rows of ``kinds`` for every article of ``archive`` matching ``query`` and ``filters``.

    Args:
        archive: the archive directory.
        output: a file path, a text stream (jsonl/csv only), or None for stdout (jsonl/csv only).
        kinds: names from :data:`KINDS`; several only with ``fmt="sqlite"`` (one table each).
        fmt: one of :data:`FORMATS`.
        query: a search query as ``newsnlp search`` takes it (None: every article).
        bom: start a CSV file with a UTF-8 byte order mark (for spreadsheet programs).
        progress: show a progress bar on stderr.
        filters: ``date_from``, ``date_to``, ``topic``, ``person``, ``place``, ``org``,
            ``reporter``, ``paper``, ``official`` as for :meth:`newsnlp.index.Archive.search`.

    Raises:
        ExportError: unknown kind or format, several kinds for a one-table format, no pyarrow.
        ArchiveError: missing archive (or index, when filtering).
    """
    if fmt not in FORMATS:
        raise ExportError(f"unknown --format {fmt!r} (choose from {', '.join(FORMATS)})")
    kinds = check_kinds(kinds)
    if fmt != "sqlite" and len(kinds) > 1:
        raise ExportError(f"--format {fmt} holds one kind; name one --what, or use --format sqlite for several")
    binary = fmt in ("parquet", "sqlite")
    if binary and (output is None or not isinstance(output, (str, Path)) or str(output) == "-"):
        raise ExportError(f"--format {fmt} writes a file: pass -o FILE")
    if fmt == "parquet":
        require_pyarrow()
    source = ArticleSource(Path(archive), query=query, filters=filters)
    report = ExportReport(rows={k: 0 for k in kinds})

    target = Path(output) if isinstance(output, (str, Path)) and str(output) != "-" else None
    tmp = _temp_beside(target) if target is not None else None
    stream: IO[str] | None = None
    stdout_wrapper = False
    writer: Any = None
    try:
        if fmt == "parquet":
            writer = _ParquetWriter(tmp, kinds[0])
        elif fmt == "sqlite":
            tmp.unlink()  # sqlite creates it
            info = {"newsnlp_version": _version(), "archive": str(Path(archive).resolve()),
                    "query": query or "", "filters": source.filters, "kinds": kinds}
            writer = _SqliteWriter(tmp, kinds, info=info)
        else:
            if tmp is not None:
                stream = open(tmp, "w", encoding="utf-8-sig" if bom else "utf-8", newline="")
            elif output is None or str(output) == "-":
                sys.stdout.flush()
                stream = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", newline="", write_through=False)
                stdout_wrapper = True
                if bom:
                    stream.write("\ufeff")
            else:
                stream = output  # type: ignore[assignment]
                if bom:
                    stream.write("\ufeff")
            writer = _TextWriter(stream, kinds[0], fmt)
        _pump(source, [k for k in kinds if k in _ROWS], writer, report, progress=progress)
        _pump_registry(source, [k for k in kinds if k in REGISTRY_KINDS], writer, report)
        writer.close()
    except BaseException:
        if isinstance(writer, _SqliteWriter):
            writer.abort()
        if tmp is not None:
            if stream is not None:
                stream.close()
            tmp.unlink(missing_ok=True)
        raise
    finally:
        if stdout_wrapper:
            try:
                stream.detach()  # flushes; leaves sys.stdout open
            except (BrokenPipeError, ValueError):
                pass
    if stream is not None and tmp is not None:
        stream.close()
    if tmp is not None:
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(tmp, 0o666 & ~umask)  # mkstemp made it private
        os.replace(tmp, target)
        report.output = str(target)
    report.missing = source.missing
    return report


def _pump(source: ArticleSource, kinds: list[str], writer, report: ExportReport, *, progress: bool) -> None:
    bar = None
    if progress:
        from tqdm import tqdm

        total, unit = source.total()
        bar = tqdm(total=total, unit=unit, desc="export", leave=False, file=sys.stderr)
    makers = [(kind, _ROWS[kind]) for kind in kinds]
    version = _version()
    rows = report.rows
    last_page = None
    try:
        for page, position, article in source:
            report.articles += 1
            prov = provenance(page, article)
            for kind, make in makers:
                produced = make(prov, position, article, version)
                for row in produced:
                    writer.add(kind, row)
                rows[kind] += len(produced)
            if bar is not None:
                if bar.unit == "article":
                    bar.update(1)
                elif page is not last_page:
                    bar.update(1)
                    last_page = page
    finally:
        if bar is not None:
            bar.close()


def registry_rows(source: ArticleSource, kind: str) -> Iterator[tuple]:
    """Rows of a registry kind (:data:`REGISTRY_KINDS`); with a query or filter, those of the
    matching articles (a post or tenure when one of its articles matches)."""
    from newsnlp.registry import open_registry

    ids = None
    if source.filtered:
        from newsnlp.index import Archive

        archive = Archive(source.archive)
        try:
            ids = set(archive.iter_matching_ids(source.query, **source.filters))
        finally:
            archive.close()
    version = _version()
    with open_registry(source.archive) as reg:
        if kind == "appointments":
            for row in reg.event_rows():
                if ids is None or row[9] in ids:
                    yield row + (version,)
        elif kind == "tenures":
            for row in reg.tenure_rows():
                if ids is None or ids.intersection(row[12].split(";")):
                    yield row + (version,)
        else:
            keep = None
            if ids is not None:
                keep = {row[2] for row in reg.tenure_rows() if ids.intersection(row[12].split(";"))}
            for row in reg.post_rows():
                if keep is None or row[0] in keep:
                    yield row + (version,)


def _pump_registry(source: ArticleSource, kinds: list[str], writer, report: ExportReport) -> None:
    for kind in kinds:
        for row in registry_rows(source, kind):
            writer.add(kind, row)
            report.rows[kind] += 1


# ---------------------------------------------------------------- reading back

def read_rows(archive: str | Path, kind: str, *, query: str | None = None, **filters: Any) -> Iterator[Any]:
    """Row dataclasses (:data:`ROW_TYPES`) of ``kind``, streamed: for archives too big for a DataFrame."""
    (kind,) = check_kinds([kind])
    source = ArticleSource(Path(archive), query=query, filters=filters)
    row_type = ROW_TYPES[kind]
    if kind in REGISTRY_KINDS:
        for row in registry_rows(source, kind):
            yield row_type(*row)
        return
    for _, row in iter_rows(source, [kind]):
        yield row_type(*row)


__all__ = [
    "ALL_KINDS", "AppointmentRow", "ArticleRow", "ArticleSource", "COLUMNS", "DateRow", "EntityRow", "ExportError",
    "ExportReport", "FORMATS", "FigureRow", "KINDS", "OfficialRow", "PostRow", "QuotedTermRow", "REGISTRY_KINDS",
    "ROW_TYPES", "TenureRow", "TopicRow", "registry_rows",
    "export", "iter_rows", "read_rows",
]
