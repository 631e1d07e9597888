"""Facts from article text: one module per kind, flat re-exports here (textacy style).

>>> from newsnlp import extract
>>> facts = extract.analyze("10月11日，市财政局局长王某表示，今年已拨付资金6.4亿元。",
...                         publication_date="2022-10-12")
>>> [(d.text, d.value) for d in facts.dates]
[('10月11日', '2022-10-11'), ('今年', '2022')]
>>> [(f.value, f.unit) for f in facts.figures]
[(640000000, '元')]

Every function takes the text positionally and options keyword-only, and returns
plain dataclasses from :mod:`newsnlp.model` whose offsets point into the text.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from newsnlp import segment
from newsnlp.extract.dates import dates
from newsnlp.extract.entities import entities, entities_many
from newsnlp.extract.figures import figures
from newsnlp.extract.officials import officials
from newsnlp.extract.terms import quoted_terms
from newsnlp.model import Article, DateMention, Entity, Figure, Official, QuotedTerm

__all__ = [
    "Facts", "analyze", "analyze_many", "annotate_article", "dates", "entities", "figures", "officials", "quoted_terms",
]

FIELDS = ("entities", "figures", "dates", "officials", "quoted_terms")

_ENTITY_TAGS = {"nr": "person", "ns": "place", "nt": "org", "person": "person", "place": "place", "org": "org"}


@dataclass
class Facts:
    """Everything :func:`analyze` finds in one text."""

    entities: list[Entity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    quoted_terms: list[QuotedTerm] = field(default_factory=list)

    def to_dict(self) -> dict[str, Any]:
        # the records hold only plain values: a shallow copy each is what asdict's deep copy gives
        return {name: [dict(vars(x)) for x in getattr(self, name)] for name in FIELDS}


def analyze(
    text: str, *, publication_date: str | None = None, userdict: segment.UserDict = None
) -> Facts:
    """All five kinds of facts in ``text``.

    Args:
        text: one article (offsets in the result point into it).
        publication_date: ``YYYY-MM-DD``, to resolve relative dates (今年7月, 昨天); without it
            they keep ``value=None``.
        userdict: a jieba user dictionary (path or list of ``word [freq] [tag]`` lines) added to
            the shipped one; its words tagged ``nr``/``ns``/``nt`` are also always reported as
            person/place/org entities, and those tagged ``nz`` as campaign terms.
    """
    return analyze_many([text], publication_date=publication_date, userdict=userdict)[0]


def analyze_many(
    texts: list[str], *, publication_date: str | None = None, userdict: segment.UserDict = None
) -> list[Facts]:
    """:func:`analyze` of each of ``texts`` (same results), the NER model run once over them all:
    for many short texts (one sentence a line) this saves the model's per-call cost."""
    named = segment.user_entries(userdict)
    entity_names = {w: _ENTITY_TAGS[t] for w, _, t in named if t in _ENTITY_TAGS} or None
    live = [i for i, text in enumerate(texts) if text.strip()]
    found = dict(zip(live, entities_many([texts[i] for i in live], userdict=entity_names)))
    out = []
    for i, text in enumerate(texts):
        if i not in found:
            out.append(Facts())
            continue
        out.append(Facts(
            entities=found[i],
            figures=figures(text),
            dates=dates(text, publication_date=publication_date),
            officials=officials(text, entities=found[i]),
            quoted_terms=quoted_terms(text, userdict=userdict),
        ))
    return out


def annotate_article(
    article: Article, *, publication_date: str | None = None, userdict: segment.UserDict = None
) -> None:
    """Set the five fact fields of ``article`` from ``article.text`` (offsets into that text)."""
    facts = analyze(article.text, publication_date=publication_date, userdict=userdict)
    for name in FIELDS:
        setattr(article, name, getattr(facts, name))
