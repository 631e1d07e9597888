"""The Flask app behind ``newsnlp serve``: search and article pages, exports, a JSON API.

Read-only (every route is GET), every text HTML-escaped by Jinja's autoescape, a strict
Content-Security-Policy (scripts, styles and images from this server only: nothing is
loaded from the network), query length limits, and files served only where an
article's stored source path names them.
"""
from __future__ import annotations

import io
import re
import threading
import time
from pathlib import Path

from flask import Flask, Response, abort, jsonify, render_template, request, stream_with_context
from markupsafe import Markup

from newsnlp import __version__
from newsnlp.errors import ArchiveError, NewsnlpError
from newsnlp.index import Archive, has_index
from newsnlp.registry import join_place
from newsnlp.web import render
from newsnlp.web.params import (
    FILTERS, MAX_QUERY_CHARS, PAGE_FACETS, SearchParams, api_options, page_number,
)

PER_PAGE = 20
MAX_PAGES = 50  # deeper than 1000 hits: narrow the search instead
FACET_LIMIT = 10
REGISTRY_SYNC_S = 30.0  # the officials registry is brought up to date at most this often
MAX_ARTICLE_LINKS = 50  # article links listed per post on the person and organisation pages
EXPORT_FORMATS = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson; charset=utf-8"}
CSP = ("default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
       "connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'")


def create_app(archive: str | Path | Archive, *, max_query_chars: int = MAX_QUERY_CHARS, warm: bool = True) -> Flask:
    """The web app over ``archive`` (a directory with an index, or an open :class:`Archive`).

    ``warm``: open the index, fill the per-document facet and month caches and compile the
    templates in a background thread (``app.extensions["newsnlp_warmup"]``), so that the first
    searches are as fast as the next ones; requests are answered meanwhile."""
    if not isinstance(archive, Archive):
        if not has_index(archive):
            raise ArchiveError(f"no search index in {archive} (run `newsnlp ingest FILES --archive {archive}` first)")
        archive = Archive(archive)
    app = Flask(__name__)
    app.config.update(ARCHIVE=archive, MAX_QUERY_CHARS=max_query_chars)
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.jinja_env.globals.update(version=__version__, mark_kinds=render.MARK_KINDS, filters=FILTERS)

    def params() -> SearchParams:
        return SearchParams.from_args(request.args, max_query_chars=max_query_chars)

    # ------------------------------------------------------------ pages

    @app.get("/")
    def search_page():
        """Results first: the page is streamed, and the facet counts and the month chart (which
        cost most on a large result set) are computed while the browser already shows the hits."""
        p = params()
        page = page_number(request.args, last=MAX_PAGES)
        result = archive.search(p.q, **p.search_kwargs(limit=page * PER_PAGE))
        hits = result.hits[(page - 1) * PER_PAGE:]
        pages = min(MAX_PAGES, max(1, -(-result.total // PER_PAGE)))

        def load_facets() -> dict[str, list]:
            counts = archive.search(p.q, **p.search_kwargs(limit=0, facets=PAGE_FACETS),
                                    facet_limit=FACET_LIMIT).facets
            facets = {name: counts.get(name, []) for name in PAGE_FACETS}
            for name in p.filters:  # a filtered field lists the values one could add ("any of")
                if name in facets:
                    facets[name] = archive.search(p.q, **{**p.search_kwargs(limit=0, facets=[name]),
                                                          **p.filter_kwargs(without=name)},
                                                  facet_limit=FACET_LIMIT).facets[name]
            return facets

        def load_chart():
            return render.bar_chart(render.month_counts(archive, p.q, p.filter_kwargs()))

        pieces = app.jinja_env.get_template("search.html").generate(_context(
            p=p, result=result, hits=hits, page=page, pages=pages, first_rank=(page - 1) * PER_PAGE + 1,
            load_facets=load_facets, load_chart=load_chart, snippet=render.marked_snippet,
            max_query_chars=max_query_chars, flush=Markup(FLUSH)))
        return Response(stream_with_context(_flushed(pieces)), mimetype="text/html")

    # ------------------------------------------------------------ officials registry

    registry_state = {"synced": None}
    registry_lock = threading.Lock()

    def open_registry():
        """The archive's officials registry, brought up to date (at most every REGISTRY_SYNC_S
        seconds; an ingest updates it anyway).  One opening at a time: a first build must not
        race another."""
        from newsnlp.registry import Registry

        with registry_lock:
            now = time.monotonic()
            sync = registry_state["synced"] is None or now - registry_state["synced"] > REGISTRY_SYNC_S
            reg = Registry(archive.path, sync=sync)
            if sync:
                registry_state["synced"] = now
            return reg

    def person_links(article_id: str) -> dict[str, str]:
        """Official name -> person page, for one article (none when the registry cannot be read)."""
        try:
            with open_registry() as reg:
                people = reg.article_people(article_id)
        except Exception as exc:  # derived data: an article page never fails for it
            app.logger.warning("officials registry not readable (%s: %s)", type(exc).__name__, exc)
            return {}
        return {name: _url("person_page", person_id=pid) for name, pid in people.items()}

    def find_person(person_id: str) -> tuple[dict, list[dict]]:
        """The person (``newsnlp officials --json`` shape) and the others of the same name."""
        if not re.fullmatch(r"p[0-9a-f]{11}", person_id):
            abort(404, description=f"no person with id {person_id[:40]!r}")
        with open_registry() as reg:
            found = reg.people(ids=[person_id])
            if not found:
                abort(404, description=f"no person with id {person_id!r}")
            person = found[0]
            namesakes = [{"id": p["id"], "name": p["name"],
                          "posts": [f"{x['org'] and join_place(x['place'], x['org'])}{x['title']}" for x in p["posts"]]}
                         for p in reg.people(name=person["name"]) if p["id"] != person_id]
        return person, namesakes

    def find_org(name: str) -> list[dict]:
        name = name.strip()
        if not name or len(name) > 100:
            abort(404, description="no such organisation")
        with open_registry() as reg:
            posts = render.org_posts(reg.people(org=name), name)
        if not posts:
            abort(404, description=f"no posts of {name!r} in the officials registry")
        return posts

    @app.get("/person/<person_id>")
    def person_page(person_id: str):
        person, namesakes = find_person(person_id)
        rows = []
        for i, post in enumerate(person["posts"]):
            org_name = join_place(post["place"], post["org"])
            rows.append({"label": f"{org_name}{post['title']}", "first_seen": post["first_seen"],
                         "last_seen": post["last_seen"], "kind": _status_class(post["title"]),
                         "href": _url("article_page", article_id=post["articles"][0]) if post["articles"] else None,
                         "title": f"{org_name}{post['title']}: {post['first_seen'] or '?'} – "
                                  f"{post['last_seen'] or '?'}, {post['mentions']} mention(s) in "
                                  f"{len(post['articles'])} article(s)",
                         "post": i})
        return render_template("person.html", person=person, namesakes=namesakes, chart=render.tenure_chart(rows),
                               org_name=join_place, max_links=MAX_ARTICLE_LINKS)

    @app.get("/org/<path:name>")
    def org_page(name: str):
        posts = find_org(name)
        charts = []
        everyone = [h for post in posts for h in post["holders"]]
        for post in posts:
            rows = [{"label": h["name"] + ("" if h["title"] == post["title"] else f"（{h['title']}）"),
                     "label_href": _url("person_page", person_id=h["id"]),
                     "first_seen": h["first_seen"], "last_seen": h["last_seen"], "kind": _status_class(h["title"]),
                     "href": _url("article_page", article_id=h["articles"][0]) if h["articles"] else None,
                     "title": f"{h['name']} {h['title']}: {h['first_seen'] or '?'} – {h['last_seen'] or '?'}, "
                              f"{len(h['articles'])} article(s)"} for h in post["holders"]]
            charts.append(render.tenure_chart(rows, domain=everyone))  # one date axis for every post
        return render_template("org.html", org=name.strip(), posts=posts, charts=charts, max_links=MAX_ARTICLE_LINKS)

    @app.get("/article/<article_id>")
    def article_page(article_id: str):
        found = _get(archive, article_id)
        source = found.source or ""
        links = person_links(found.id) if found.article.officials else {}
        return render_template(
            "article.html", found=found, a=found.article, blocks=render.marked_blocks(found.article, links),
            person_links=links,
            tables=render.fact_tables(found.article), similar=render.similar(archive, found),
            source_available=_source_file(source) is not None, back=request.args.get("back", "")[:2000])

    @app.get("/article/<article_id>/source")
    def article_source(article_id: str):
        """The page file the article was parsed from, as plain text (never as HTML)."""
        found = _get(archive, article_id)
        path = _source_file(found.source or "")
        if path is None:
            abort(404, description="the source file of this article is not available")
        from newsnlp.read import read_document

        try:
            text = read_document(path).text
        except NewsnlpError as exc:
            abort(404, description=str(exc))
        resp = Response(text, mimetype="text/plain")
        resp.headers["Content-Disposition"] = "inline"
        return resp

    @app.get("/export.<fmt>")
    def export_rows(fmt: str):
        """The current result set as CSV or JSON lines, streamed (the export module's rows)."""
        if fmt not in EXPORT_FORMATS:
            abort(404)
        from newsnlp import export as export_mod

        p = params()
        what = request.args.get("what") or "articles"
        export_mod.check_kinds([what])
        source = export_mod.ArticleSource(archive.path, query=p.q or None, filters=p.filter_kwargs())
        body = _stream_rows(export_mod, source, what, fmt)
        resp = Response(stream_with_context(body), mimetype=EXPORT_FORMATS[fmt].split(";")[0])
        resp.headers["Content-Type"] = EXPORT_FORMATS[fmt]
        resp.headers["Content-Disposition"] = f'attachment; filename="newsnlp-{what}.{fmt}"'
        return resp

    # ------------------------------------------------------------ JSON API

    @app.get("/api/search")
    def api_search():
        """What ``newsnlp search --json`` prints for the same query and options."""
        p = params()
        limit, facets, facet_limit = api_options(request.args)
        result = archive.search(p.q, **p.search_kwargs(limit=limit, facets=facets), facet_limit=facet_limit)
        return jsonify(result.to_dict())

    @app.get("/api/facets")
    def api_facets():
        """Facet counts of the matching articles: ``{"total", "facets"}`` (default: every facet)."""
        p = params()
        _, facets, facet_limit = api_options(request.args)
        facets = facets or list(PAGE_FACETS)
        result = archive.search(p.q, **p.search_kwargs(limit=0, facets=facets), facet_limit=facet_limit)
        return jsonify({"total": result.total, "facets": result.to_dict()["facets"]})

    @app.get("/api/article/<article_id>")
    def api_article(article_id: str):
        """What ``newsnlp show ID --json`` prints, plus ``similar`` articles."""
        found = _get(archive, article_id)
        return jsonify({**render.article_json(found), "similar": render.similar(archive, found)})

    @app.get("/api/person/<person_id>")
    def api_person(person_id: str):
        """One person as ``newsnlp officials --json`` lists it: ``{"name", "id", "posts", "events"}``,
        plus ``namesakes`` (other people of the same name: ``{"id", "name", "posts"}``)."""
        person, namesakes = find_person(person_id)
        return jsonify({**person, "namesakes": namesakes})

    @app.get("/api/org/<path:name>")
    def api_org(name: str):
        """The holders of each post of an organisation (as printed: 扶沟县委): ``{"org", "posts":
        [{"title", "holders": [{"name", "id", "title", "place", "first_seen", "last_seen", "mentions",
        "articles"}]}]}``."""
        return jsonify({"org": name.strip(), "posts": find_org(name)})

    @app.get("/api/months")
    def api_months():
        """Matching articles per month: ``{"months": [[YYYY-MM, count], ...]}``."""
        p = params()
        return jsonify({"months": render.month_counts(archive, p.q, p.filter_kwargs())})

    # ------------------------------------------------------------ errors and headers

    def _error(status: int, message: str):
        if request.path.startswith("/api/"):
            return jsonify({"error": message, "status": status}), status
        return render_template("error.html", status=status, message=message, form=request.path == "/",
                               max_query_chars=max_query_chars), status

    @app.errorhandler(NewsnlpError)
    def on_user_error(exc: NewsnlpError):
        return _error(400, str(exc))

    @app.errorhandler(404)
    def on_not_found(exc):
        return _error(404, getattr(exc, "description", None) or "not found")

    @app.errorhandler(405)
    def on_method(exc):
        return _error(405, "this server is read-only: GET requests only")

    @app.after_request
    def security_headers(resp: Response) -> Response:
        resp.headers.setdefault("Content-Security-Policy", CSP)
        resp.headers["X-Content-Type-Options"] = "nosniff"
        resp.headers["Referrer-Policy"] = "no-referrer"
        resp.headers["X-Frame-Options"] = "DENY"
        return resp

    if warm:
        def warm_up() -> None:
            for name in ("search.html", "article.html", "error.html", "person.html", "org.html"):
                app.jinja_env.get_template(name)
            archive.search(None, limit=1, facets=PAGE_FACETS)
            render.month_counts(archive, "", {})
            try:
                open_registry().close()  # build or update it now rather than on the first person page
            except Exception as exc:
                app.logger.warning("officials registry not readable (%s: %s)", type(exc).__name__, exc)

        thread = threading.Thread(target=warm_up, name="newsnlp-warmup", daemon=True)
        thread.start()
        app.extensions["newsnlp_warmup"] = thread
    return app


FLUSH = "<!--flush-->"


def _flushed(pieces, *, size: int = 32768):
    """Join a template's output pieces into chunks, ending one wherever the template says ``{{ flush }}``."""
    buf: list[str] = []
    held = 0
    for piece in pieces:
        for i, part in enumerate(piece.split(FLUSH)):
            if i:
                yield "".join(buf)
                buf, held = [], 0
            buf.append(part)
            held += len(part)
        if held >= size:
            yield "".join(buf)
            buf, held = [], 0
    if buf:
        yield "".join(buf)


def _context(**values):
    """Template context with Flask's globals (``url_for``...), for streamed templates."""
    from flask import current_app

    context = dict(values)
    current_app.update_template_context(context)
    return context


def _url(endpoint: str, **values) -> str:
    from flask import url_for

    return url_for(endpoint, **values)


def _status_class(title: str) -> str:
    """CSS class of a post's bar: ``former`` (原…), ``acting`` (代…) or ``current``."""
    return "former" if title.startswith("原") else "acting" if title.startswith("代") else "current"


def _get(archive: Archive, article_id: str):
    if len(article_id) > 200:
        abort(404, description="no such article")
    try:
        return archive.get(article_id)
    except ArchiveError:
        abort(404, description=f"no article with id {article_id!r}")


def _source_file(source: str) -> Path | None:
    """The stored source path of an article when it names a readable local file, else None.

    The path comes from the archive, never from the request, so no URL can reach another file."""
    if not source or "://" in source:
        return None
    path = Path(source)
    return path if path.is_absolute() and path.is_file() else None


def _stream_rows(export_mod, source, kind: str, fmt: str):
    """Chunks of the export's CSV (with a BOM, for spreadsheets) or JSON lines."""
    buf = io.StringIO()
    if fmt == "csv":
        buf.write("\ufeff")
    writer = export_mod._TextWriter(buf, kind, fmt)

    def chunks():
        for k, row in export_mod.iter_rows(source, [kind]):
            writer.add(k, row)
            if buf.tell() >= 65536:
                yield buf.getvalue().encode("utf-8")
                buf.seek(0)
                buf.truncate()
        yield buf.getvalue().encode("utf-8")

    return chunks()
