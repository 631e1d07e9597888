"""newsnlp: OCR'd Chinese newspaper pages -> clean articles, facts and a searchable archive.

>>> import newsnlp
>>> page = newsnlp.parse_file("corpus/sample-page-2022-10-12.txt")
>>> page.articles[0].headline
"""
from newsnlp.model import Article, Block, DateMention, Entity, Figure, Official, Page, QuotedTerm, Topic
from newsnlp.facts import load
from newsnlp.pipeline import parse_file, parse_text

__version__ = "0.1.0"

__all__ = [
    "Article", "Block", "DateMention", "Entity", "Figure", "Official", "Page", "QuotedTerm", "Topic",
    "load", "parse_file", "parse_text", "__version__",
]
