"""What the pages show, computed in plain Python: marked article bodies, hits per month,
similar articles, the article JSON.  Everything returned as markup is escaped here."""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup, escape

from newsnlp.index import Archive, ArchivedArticle, Hit
from newsnlp.model import Article

#: mark kinds in legend order: (kind, label)
MARK_KINDS = (("person", "person"), ("place", "place"), ("org", "organisation"),
              ("official", "official"), ("date", "date"), ("figure", "figure"))
_PRIORITY = {"official": 0, "person": 1, "place": 2, "org": 3, "date": 4, "figure": 5}


def article_json(found: ArchivedArticle) -> dict[str, Any]:
    """An archived article as ``newsnlp show --json`` prints it."""
    return {"paper": found.paper, "page": found.page, "section": found.section,
            "publication_date": found.publication_date, "source": found.source,
            "position": found.position, **found.article.to_dict()}


def marked_snippet(hit: Hit) -> Markup:
    """The hit's snippet, escaped, with the query terms in ``<mark>``."""
    return Markup(hit.marked_snippet(Markup("<mark>"), Markup("</mark>"), escape=lambda s: str(escape(s))))


# ---------------------------------------------------------------- marked body

@dataclass
class Span:
    start: int
    end: int
    kind: str
    title: str


def fact_spans(article: Article) -> list[Span]:
    """Non-overlapping spans of entities, officials, dates and figures in ``article.text``.

    Offsets that do not point at the recorded text are dropped; officials (which carry no
    offsets) are marked wherever their name occurs.  Where spans overlap, the earlier one
    wins, then the longer, then the kind first in ``_PRIORITY``."""
    text = article.text
    n = len(text)
    spans: list[Span] = []

    def add(start, end, surface, kind, title):
        if isinstance(start, int) and isinstance(end, int) and 0 <= start < end <= n \
                and (not surface or text[start:end] == surface):
            spans.append(Span(start, end, kind, title))

    for o in article.officials:
        if o.name:
            title = f"official: {o.name}, {o.title}" + (f" ({o.org})" if o.org else "")
            for m in re.finditer(re.escape(o.name), text):
                add(m.start(), m.end(), None, "official", title)
    for e in article.entities:
        add(e.start, e.end, e.text, e.type if e.type in _PRIORITY else "org",
            f"{e.type}" + (f" → {e.refers_to}" if e.refers_to else ""))
    for d in article.dates:
        add(d.start, d.end_offset, d.text, "date",
            f"date: {d.value or '?'}" + (f" – {d.end}" if d.end else "") + f" ({d.granularity})")
    for f in article.figures:
        value = "" if f.value is None else f"{f.value:g}" + (f"–{f.value_max:g}" if f.value_max is not None else "")
        add(f.start, f.end, f.text, "figure",
            "figure: " + " ".join(x for x in ("≈" if f.approx else "", value, f.unit or "", f.subject or "") if x))
    spans.sort(key=lambda s: (s.start, -(s.end - s.start), _PRIORITY[s.kind]))
    kept: list[Span] = []
    for s in spans:
        if not kept or s.start >= kept[-1].end:
            kept.append(s)
    return kept


def marked_blocks(article: Article, links: dict[str, str] | None = None) -> list[tuple[str, Markup]]:
    """``(kind, html)`` per body block, facts wrapped in ``<span class="mark mark-KIND">``;
    an official whose name is in ``links`` (name -> URL, e.g. the person page) inside a link."""
    links = links or {}
    spans = fact_spans(article)
    out: list[tuple[str, Markup]] = []
    offset, i = 0, 0
    for block in article.body:
        start, end = offset, offset + len(block.text)
        parts: list[str] = []
        pos = start
        while i < len(spans) and spans[i].start < end:
            s = spans[i]
            a, b = max(s.start, pos), min(s.end, end)
            if a > pos:
                parts.append(str(escape(article.text[pos:a])))
            if b > a:
                mark = (f'<span class="mark mark-{s.kind}" data-kind="{s.kind}" title="{escape(s.title)}">'
                        f"{escape(article.text[a:b])}</span>")
                href = links.get(article.text[s.start:s.end]) if s.kind == "official" else None
                if href:
                    mark = f'<a class="person-link" href="{escape(href)}">{mark}</a>'
                parts.append(mark)
                pos = b
            if s.end <= end:
                i += 1
            else:
                break
        parts.append(str(escape(article.text[pos:end])))
        out.append((block.kind, Markup("".join(parts))))
        offset = end + 1  # the newline joining blocks
    return out


def fact_tables(article: Article) -> dict[str, list[list[Any]]]:
    """The facts as rows for tables (entity rows counted)."""
    entities = Counter((e.type, e.text) for e in article.entities)
    return {
        "entities": [[t, x, c] for (t, x), c in sorted(entities.items(), key=lambda kv: (kv[0][0], -kv[1]))],
        "officials": [[o.name, o.title, o.org or ""] for o in article.officials],
        "figures": [[f.text, "" if f.value is None else f"{f.value:g}"
                     + (f"–{f.value_max:g}" if f.value_max is not None else ""),
                     f.unit or "", "yes" if f.approx else "", f.subject or ""] for f in article.figures],
        "dates": [[d.text, d.value or "", d.end or "", d.granularity] for d in article.dates],
        "quoted_terms": [[q.term, q.count] for q in article.quoted_terms],
        "topics": [[t.label, f"{t.score:.2f}"] for t in article.topics],
    }


# ---------------------------------------------------------------- hits per month

def month_counts(archive: Archive, query: str, filters: dict[str, Any]) -> list[tuple[str, int]]:
    """Matching articles per month, every month from the first to the last (zeros included)."""
    counts = archive.month_counts(query, filters)
    if not counts:
        return []
    first, last = min(counts), max(counts)
    y, m = int(first[:4]), int(first[5:])
    out = []
    while True:
        key = f"{y:04d}-{m:02d}"
        out.append((key, counts.get(key, 0)))
        if key >= last:
            return out
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)


def bar_chart(months: list[tuple[str, int]], *, max_bars: int = 240) -> dict[str, Any] | None:
    """Geometry of the hits-per-month bar chart (by year when the range is long), for the SVG."""
    if not months:
        return None
    unit = "month"
    if len(months) > max_bars:
        by_year: Counter[str] = Counter()
        for key, count in months:
            by_year[key[:4]] += count
        months, unit = sorted(by_year.items()), "year"
    width, height, top = 720, 120, max(c for _, c in months) or 1
    step = width / max(len(months), 12)  # a few months do not make bars a page wide
    bars = [{"key": key, "count": count, "x": round(i * step + step * 0.1, 2),
             "w": round(max(step * 0.8, 1), 2), "h": round(height * count / top, 2),
             "y": round(height - height * count / top, 2)} for i, (key, count) in enumerate(months)]
    return {"bars": bars, "width": width, "height": height, "max": top, "unit": unit,
            "first": months[0][0], "last": months[-1][0]}


# ---------------------------------------------------------------- more like this

def similar(archive: Archive, found: ArchivedArticle, *, top: int = 5) -> list[dict[str, Any]]:
    """Articles whose body shares the most distinctive words with this one (the engine's more-like-this)."""
    return archive.similar(found.id, "\n".join([found.article.title, found.article.text]), top=top)


# ---------------------------------------------------------------- officials: tenure timelines

def _day(value: str | None, *, end: bool = False) -> dt.date | None:
    """``YYYY-MM-DD`` (or ``YYYY-MM``, ``YYYY``: the first or, with ``end``, the last day) as a date."""
    if not value:
        return None
    m = re.match(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?", value)
    if not m:
        return None
    try:
        year, month = int(m.group(1)), int(m.group(2) or (12 if end else 1))
        if m.group(3):
            return dt.date(year, month, int(m.group(3)))
        if not end:
            return dt.date(year, month, 1)
        nxt = dt.date(year + (month == 12), month % 12 + 1, 1)
        return nxt - dt.timedelta(days=1)
    except ValueError:
        return None


def tenure_chart(rows: list[dict[str, Any]], *, width: int = 760, label_width: int = 230,
                 row_height: int = 24, domain: list[dict[str, Any]] | None = None) -> dict[str, Any] | None:
    """Geometry of a tenure timeline for the SVG: one bar per row, from ``first_seen`` to
    ``last_seen`` on a shared date axis.

    ``rows``: dicts with ``label``, ``first_seen``, ``last_seen`` and ``href`` (the bar's link),
    optionally ``label_href``, ``title`` (the tooltip) and ``kind`` (a CSS class).  Rows without
    a usable date are left out of the chart (the page lists them anyway).  ``domain``: the rows
    whose dates set the axis (default ``rows``), so that several charts of a page share one axis."""

    def dated_rows(items):
        out = []
        for r in items:
            a, b = _day(r.get("first_seen")), _day(r.get("last_seen") or r.get("first_seen"), end=True)
            a = a or b
            if a is not None:
                out.append((r, a, max(a, b or a)))
        return out

    dated = dated_rows(rows)
    if not dated:
        return None
    axis = dated_rows(domain) + dated if domain else dated
    low, high = min(a for _, a, _ in axis), max(b for _, _, b in axis)
    span = max((high - low).days, 1)
    pad = max(span // 40, 1)  # a little room at both ends, so the first and last bars are not cut
    low, high = low - dt.timedelta(days=pad), high + dt.timedelta(days=pad)
    span = (high - low).days
    plot = width - label_width - 10

    def x(day: dt.date) -> float:
        return round(label_width + plot * (day - low).days / span, 2)

    bars = []
    for i, (r, a, b) in enumerate(dated):
        x0, x1 = x(a), x(b)
        w = max(x1 - x0, 4.0)  # one day (one article) is still a visible bar
        if x0 + w > label_width + plot:
            x0 = label_width + plot - w
        bars.append({**r, "x": round(x0, 2), "w": round(w, 2), "y": i * row_height + 4, "h": row_height - 8,
                     "ty": i * row_height + row_height / 2 + 4, "row": i})
    height = len(bars) * row_height
    ticks = []
    years = high.year - low.year
    if years >= 1:
        step = max(1, -(-years // 8))
        for year in range(low.year + 1, high.year + 1):
            if (year - low.year - 1) % step == 0:
                ticks.append({"x": x(dt.date(year, 1, 1)), "label": str(year)})
    else:
        months = (high.year - low.year) * 12 + high.month - low.month
        step = max(1, -(-months // 8))
        y, m = low.year, low.month
        for k in range(1, months + 1):
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            if (k - 1) % step == 0:
                ticks.append({"x": x(dt.date(y, m, 1)), "label": f"{y:04d}-{m:02d}"})
    return {"bars": bars, "width": width, "height": height, "label_width": label_width,
            "plot_end": label_width + plot, "ticks": ticks,
            "first": low.isoformat(), "last": high.isoformat()}


def _plain_title(title: str) -> str:
    """``原县长``/``代县长`` -> ``县长`` (the post a former or acting holder is listed under)."""
    return re.sub(r"^(?:原)?(?:代)?", "", title) or title


def org_posts(people: list[dict[str, Any]], org: str) -> list[dict[str, Any]]:
    """The holders of each post of ``org`` (as printed: 扶沟县委), from registry people:
    ``[{"title", "holders": [{"name", "id", "title", "first_seen", "last_seen", "mentions", "articles"}]}]``,
    posts by their first holder's date, holders in date order."""
    from newsnlp.registry import join_place

    by_title: dict[str, list[dict[str, Any]]] = {}
    for person in people:
        for post in person["posts"]:
            if join_place(post["place"], post["org"]) != org:
                continue
            by_title.setdefault(_plain_title(post["title"]), []).append({
                "name": person["name"], "id": person["id"], "title": post["title"],
                "place": post["place"], "first_seen": post["first_seen"], "last_seen": post["last_seen"],
                "mentions": post["mentions"], "articles": post["articles"]})
    out = []
    for title, holders in by_title.items():
        holders.sort(key=lambda h: (h["first_seen"] or "9999", h["last_seen"] or "9999", h["name"]))
        out.append({"title": title, "holders": holders})
    out.sort(key=lambda p: (p["holders"][0]["first_seen"] or "9999", p["title"]))
    return out
