"""Plain dataclasses that flow between pipeline stages.

tidy -> articles (split) -> segment -> extract -> topics -> index.  Every stage
takes and returns these records; ``to_dict``/``from_dict`` give the JSON
contract that other tools read (see README "JSON contract").
"""
from __future__ import annotations

from dataclasses import asdict, dataclass, field, fields
from typing import Any


@dataclass
class Block:
    """One body block of an article: a paragraph (``p``) or a ``subhead``."""

    kind: str
    text: str
    bbox: list[float] | None = None  # [x0, top, x1, bottom] on the page (pages with geometry)


@dataclass
class Entity:
    """A named entity with character offsets into ``Article.text``."""

    text: str
    type: str  # person | place | org
    start: int
    end: int
    refers_to: str | None = None  # for anaphora such as 该局: the organisation meant
    # a person named by a form of address (老王, 谢书记: "address") or anonymised (王某, 代某某:
    # "anonymised") rather than by name; the text is the printed mention, never a lone surname
    form: str | None = None


@dataclass
class Figure:
    """A number with a unit or measure word, normalised."""

    text: str
    value: float | None
    unit: str | None
    approx: bool
    subject: str | None
    start: int
    end: int
    value_max: float | None = None  # upper bound of a range such as 3至5个


@dataclass
class DateMention:
    """A date expression resolved against the publication date or a year stated in the text."""

    text: str
    value: str | None  # ISO: YYYY, YYYY-MM or YYYY-MM-DD (None when unresolvable)
    granularity: str  # year | month | day | season | quarter | period ...
    start: int
    end_offset: int
    end: str | None = None  # end of a range, ISO
    # how the value was found: "explicit" (the year is printed), "publication" (resolved against the
    # publication date), "context" (against a year stated earlier in the text), "lunar" (converted from
    # the lunar calendar); None when unresolved
    basis: str | None = None


@dataclass
class Official:
    """A named person holding a post, as stated in one sentence."""

    name: str
    title: str
    org: str | None
    sentence: str


@dataclass
class QuotedTerm:
    """A campaign or policy term printed in quotes, with its count in the article."""

    term: str
    count: int


@dataclass
class Topic:
    """A topic label with the model's score (0-1)."""

    label: str
    score: float


@dataclass
class Article:
    """One article of a page.  ``text`` is the body paragraphs joined by newlines;
    fact offsets point into it."""

    id: str
    headline: list[str]
    kicker: str | None = None
    subtitle: str | None = None
    dateline: str | None = None
    byline: str | None = None
    reporters: list[str] = field(default_factory=list)
    body: list[Block] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    continuation: str | None = None  # e.g. 上接第一版 / 下转第3版 when the article spans pages
    entities: list[Entity] = field(default_factory=list)
    figures: list[Figure] = field(default_factory=list)
    dates: list[DateMention] = field(default_factory=list)
    officials: list[Official] = field(default_factory=list)
    quoted_terms: list[QuotedTerm] = field(default_factory=list)
    topics: list[Topic] = field(default_factory=list)
    # pages with geometry (PDF, OCR): the article's region, [x0, top, x1, bottom] in page points
    # (y downwards); an article that runs through several columns has the box round all of them
    bbox: list[float] | None = None

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.body)

    @property
    def title(self) -> str:
        """The headline lines joined into one string."""
        return "".join(self.headline)

    def to_dict(self) -> dict[str, Any]:
        d = asdict(self)
        d["text"] = self.text
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Article":
        kinds = {
            "body": Block, "entities": Entity, "figures": Figure, "dates": DateMention,
            "officials": Official, "quoted_terms": QuotedTerm, "topics": Topic,
        }
        names = {f.name for f in fields(cls)}
        kw = {k: v for k, v in d.items() if k in names}
        for key, record in kinds.items():
            kw[key] = [record(**_known(record, x)) for x in d.get(key) or []]
        return cls(**kw)


@dataclass
class Page:
    """One newspaper page: where it came from and its articles in page order."""

    source: str
    paper: str | None = None
    page: str | None = None
    publication_date: str | None = None  # ISO YYYY-MM-DD
    section: str | None = None
    articles: list[Article] = field(default_factory=list)
    # pages with geometry: the page's size in points, and its place in a multi-page file (from 1)
    width: float | None = None
    height: float | None = None
    number: int | None = None

    def to_dict(self) -> dict[str, Any]:
        d = {f.name: getattr(self, f.name) for f in fields(self) if f.name != "articles"}
        d["articles"] = [a.to_dict() for a in self.articles]
        return d

    @classmethod
    def from_dict(cls, d: dict[str, Any]) -> "Page":
        kw = _known(cls, d)
        kw["articles"] = [Article.from_dict(a) for a in d.get("articles") or []]
        return cls(**kw)


def _known(record: type, d: dict[str, Any]) -> dict[str, Any]:
    names = {f.name for f in fields(record)}
    return {k: v for k, v in d.items() if k in names}
