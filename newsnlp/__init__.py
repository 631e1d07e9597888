"""newsnlp: OCR'd Chinese newspaper pages -> clean articles, facts and a searchable archive.

>>> import newsnlp
>>> page = newsnlp.parse_file("corpus/sample-page-2022-10-12.txt")
>>> page.articles[0].headline

Names are imported on first use (PEP 562), so ``import newsnlp`` and the CLI start fast.
"""
from __future__ import annotations

import importlib

__version__ = "0.1.0"

_LAZY = {
    **dict.fromkeys(["Article", "Block", "DateMention", "Entity", "Figure", "Official", "Page",
                     "QuotedTerm", "Topic"], "newsnlp.model"),
    "load": "newsnlp.facts",
    "parse_file": "newsnlp.pipeline",
    "parse_text": "newsnlp.pipeline",
}

__all__ = [*_LAZY, "__version__"]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name]), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'newsnlp' has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
