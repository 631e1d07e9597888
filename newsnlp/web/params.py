"""A search's arguments, parsed once from a request and turned back into URLs.

The names are the CLI's (``newsnlp search``): ``q``, ``from``, ``to``, ``topic``, ``person``,
``place``, ``org``, ``reporter``, ``paper`` (each repeatable: any of them), ``sort``,
``limit``, ``facets`` (comma-separated).  :meth:`SearchParams.search_kwargs` gives the
keyword arguments of :meth:`newsnlp.index.Archive.search`, exactly as the CLI builds them.
"""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import urlencode

from newsnlp.errors import NewsnlpError
from newsnlp.index.schema import FACET_FIELDS
from newsnlp.index.search import date_bounds

#: filter name (URL and CLI option) -> keyword of Archive.search
FILTERS = ("topic", "person", "place", "org", "reporter", "paper")
#: facets shown on the search page, in this order
PAGE_FACETS = ("topic", "year", "person", "place", "org", "reporter", "paper")
MAX_QUERY_CHARS = 500
MAX_VALUES = 20  # values per filter
MAX_LIMIT = 1000  # hits per API answer
MAX_FACET_LIMIT = 500


class ParamError(NewsnlpError):
    """A request argument out of bounds or malformed (answered with 400)."""


def _check_date(name: str, value: str | None) -> str | None:
    if value is None or not value.strip():
        return None
    value = value.strip()
    date_bounds(value)  # raises QueryError (a NewsnlpError) with a readable message
    return value


def _int(args, name: str, default: int, low: int, high: int) -> int:
    raw = args.get(name)
    if raw is None or raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ParamError(f"{name} must be a whole number, not {raw[:40]!r}") from None
    if not low <= value <= high:
        raise ParamError(f"{name} must be between {low} and {high}")
    return value


@dataclass(frozen=True)
class SearchParams:
    """One search: query, date range, filters and sort (what a results page and its URL hold)."""

    q: str = ""
    date_from: str | None = None
    date_to: str | None = None
    filters: dict[str, tuple[str, ...]] = field(default_factory=dict)
    sort: str = "relevance"

    @classmethod
    def from_args(cls, args, *, max_query_chars: int = MAX_QUERY_CHARS) -> "SearchParams":
        """Parse a request's ``args`` (a werkzeug MultiDict); raises :class:`ParamError`."""
        q = args.get("q", "")
        if len(q) > max_query_chars:
            raise ParamError(f"query is {len(q)} characters long; the limit is {max_query_chars}")
        filters: dict[str, tuple[str, ...]] = {}
        for name in FILTERS:
            values = [v.strip() for v in args.getlist(name) if v.strip()]
            if len(values) > MAX_VALUES:
                raise ParamError(f"at most {MAX_VALUES} values of {name}")
            if any(len(v) > max_query_chars for v in values):
                raise ParamError(f"a {name} value is longer than {max_query_chars} characters")
            if values:
                filters[name] = tuple(dict.fromkeys(values))
        sort = args.get("sort") or "relevance"
        if sort not in ("relevance", "date"):
            raise ParamError(f"sort must be relevance or date, not {sort[:40]!r}")
        return cls(q=q.strip(), date_from=_check_date("from", args.get("from")),
                   date_to=_check_date("to", args.get("to")), filters=filters, sort=sort)

    def filter_kwargs(self, *, without: str | None = None) -> dict[str, Any]:
        """Date and value filters as keywords of ``Archive.search`` (lists, as the CLI passes them)."""
        kw: dict[str, Any] = {"date_from": self.date_from, "date_to": self.date_to}
        for name in FILTERS:
            kw[name] = [] if name == without else list(self.filters.get(name, ()))
        return kw

    def search_kwargs(self, *, limit: int, facets: list[str] | tuple[str, ...] = ()) -> dict[str, Any]:
        """Every keyword of ``Archive.search`` except the query, as ``newsnlp search`` passes them."""
        return {**self.filter_kwargs(), "sort": self.sort, "limit": limit, "facets": list(facets)}

    # -- URLs
    def pairs(self) -> list[tuple[str, str]]:
        out: list[tuple[str, str]] = []
        if self.q:
            out.append(("q", self.q))
        if self.date_from:
            out.append(("from", self.date_from))
        if self.date_to:
            out.append(("to", self.date_to))
        for name in FILTERS:
            out += [(name, v) for v in self.filters.get(name, ())]
        if self.sort != "relevance":
            out.append(("sort", self.sort))
        return out

    def query_string(self, **extra: Any) -> str:
        return urlencode(self.pairs() + [(k, v) for k, v in extra.items() if v not in (None, "")])

    def with_value(self, name: str, value: str) -> "SearchParams":
        """Add a facet value: a year or month sets the date range, other values join their filter."""
        if name in ("year", "month"):
            return replace(self, date_from=value, date_to=value)
        values = self.filters.get(name, ())
        if value in values:
            return self
        return replace(self, filters={**self.filters, name: values + (value,)})

    def without_value(self, name: str, value: str | None = None) -> "SearchParams":
        """Drop a filter value (``name`` ``dates`` drops the date range)."""
        if name == "dates":
            return replace(self, date_from=None, date_to=None)
        values = tuple(v for v in self.filters.get(name, ()) if v != value)
        filters = {k: v for k, v in self.filters.items() if k != name}
        if values:
            filters[name] = values
        return replace(self, filters=filters)

    def is_empty(self) -> bool:
        return not self.pairs() or self.pairs() == [("sort", self.sort)]


def api_options(args) -> tuple[int, list[str], int]:
    """``limit`` (default 10, as the CLI), ``facets`` (comma list) and ``facet_limit`` of an API call."""
    limit = _int(args, "limit", 10, 0, MAX_LIMIT)
    facets = [f.strip() for f in (args.get("facets") or "").split(",") if f.strip()]
    for name in facets:
        if name not in FACET_FIELDS:
            raise ParamError(f"unknown facet {name[:40]!r} (known: {', '.join(FACET_FIELDS)})")
    facet_limit = _int(args, "facet_limit", 10, 1, MAX_FACET_LIMIT)
    return limit, facets, facet_limit


def page_number(args, *, last: int) -> int:
    return _int(args, "page", 1, 1, last)
