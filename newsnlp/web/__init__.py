"""``newsnlp serve``: a local search page over an archive, with a JSON API under ``/api/``.

>>> from newsnlp.web import create_app
>>> app = create_app("newsnlp-archive")          # doctest: +SKIP
>>> app.test_client().get("/api/search?q=新年").json["total"]   # doctest: +SKIP
"""
from newsnlp.web.app import create_app

__all__ = ["create_app"]
