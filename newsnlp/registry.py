"""The officials registry: who held which post, where and when, with the articles that say so.

The archive's officials (:class:`~newsnlp.model.Official`, one per name, post and sentence)
and the appointment language of its articles become **people**, **posts**, **tenures** and
**events**, kept in ``ARCHIVE/registry.sqlite`` beside the index::

    >>> from newsnlp import registry
    >>> reg = registry.open_registry("newsnlp-archive")            # doctest: +SKIP
    >>> reg.people(place="扶沟县")                                  # doctest: +SKIP
    >>> reg.who(title="书记", org="扶沟县委", date="2022-10-12")      # doctest: +SKIP

How a mention becomes a post (every step is named in the mention's ``rules``):

- titles normalised: ``党委书记``/``党组书记``/``党工委书记`` are the ``书记`` of their unit
  (``市财政局党组书记`` -> 书记 / 市财政局); ``副`` and ``常务副`` are kept; ``代`` (acting)
  and ``原``/``时任``/``前``/``曾任`` (former) are flags of the post, not part of the title;
- the place is split from the organisation (``扶沟县委`` -> place 扶沟县, org 县委;
  ``周口市财政局`` -> 周口市 / 市财政局; ``人民政府`` -> ``政府``); a head of government
  without an organisation gets the government of its level (``县长`` -> 县政府);
- an organisation of a level without a place (``县委``) gets the article's one place of that
  level (``rule place:context``);
- a surname under a title (``谢书记``, ``Entity.form == "address"``) is the full name of the
  one official of the article with that surname and title (``address:article``), else of the
  one person holding that post in that place within a year of the date (``address:org-date``).

How mentions of one name become people (``links.rule``): mentions in the same article are
one person (``same-article``); so are mentions in the same place (``same-place``) or the same
national organisation (``same-org``).  A mention with neither place nor national organisation
joins the one person of that name with the same title, or the only person of that name
(``same-title``, ``only-candidate``); else it stays with the unplaced mentions of its title
(``unplaced``).  A national career is one person (``same-career``): posts in central bodies
(中共中央…, 国务院, 全国政协, a ministry) years apart or beside a post one person holds at a time
(国家主席, 总理), and a provincial leader's posts before or after central ones.  The same name in
unrelated places and posts is therefore two people.  Heads of companies (总经理, 董事长) are no posts.

Events come from appointment language: ``任命X为Y`` (appoint), ``免去X的Y职务`` (remove),
``X当选为Y``/``选举X为Y`` (elect), ``提名X为Y人选`` (nominate), ``X任Y``/``X担任Y`` (hold;
``曾任`` a former post), ``不再担任Y职务`` (remove; ``中共中央决定：X任Y`` is an appointment), each
for every name of a list (``任命甲、乙（女）为Y``, ``当选为Y的还有甲、乙``), dated by the day printed
nearest it in its sentence, else its lead-in's (``…于2019年10月26日的决定：``), else the dateline's
(``新华社北京2月15日电``) or the headline's, else the publication date.

Updates are incremental: a page's mentions and events are replaced when its page file
changed (re-ingest) and dropped when it left ``pages/``; only the names those pages touch
are clustered again.  A missing, damaged or outdated registry file is rebuilt.
"""
from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import re
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newsnlp.model import Article, Page

FILE_NAME = "registry.sqlite"
SCHEMA_VERSION = "1"
EVENT_KINDS = ("appoint", "remove", "elect", "nominate", "hold")
#: an address (谢书记) resolves to a holder of the post seen within this many days of its date
ADDRESS_WINDOW_DAYS = 365


# ---------------------------------------------------------------- records

@dataclass
class Person:
    """A resolved identity: one name, one career."""

    id: str
    name: str


@dataclass(frozen=True)
class Post:
    """A normalised post: ``书记`` / ``县委`` / ``扶沟县``; ``acting`` for 代, ``former`` for 原/时任/前."""

    title: str
    org: str = ""
    place: str = ""
    acting: bool = False
    former: bool = False

    @property
    def org_name(self) -> str:
        """The organisation as printed: place + org (``扶沟县`` + ``县委`` -> ``扶沟县委``)."""
        return join_place(self.place, self.org)

    def label(self) -> str:
        return ("原" if self.former else "") + ("代" if self.acting else "") + self.org_name + self.title


@dataclass
class Tenure:
    """A person in a post: first and last date seen, mentions and the articles."""

    person: Person
    post: Post
    first_seen: str | None
    last_seen: str | None
    mentions: int
    articles: list[str] = field(default_factory=list)


@dataclass
class Event:
    """An appointment, removal, election, nomination or statement of a post held."""

    kind: str  # appoint | remove | elect | nominate | hold
    person: str  # the name as printed
    post: Post
    date: str | None
    article: str
    sentence: str = ""
    person_id: str | None = None


@dataclass
class Mention:
    """One person in one post in one article (an official record or an event), before resolution."""

    article_id: str
    date: str | None
    name: str
    post: Post
    sentence: str
    source: str = "official"  # official | event:KIND
    address: bool = False  # a surname under a title (谢书记)
    resolved: bool = True  # False: an address whose full name the article does not give
    counts: bool = True  # counts towards a tenure (a nomination does not)
    rules: list[str] = field(default_factory=list)
    ctx_place: str = ""  # the article's one place, for addresses without a place


# ---------------------------------------------------------------- posts

LEVELS = "省市县区州旗盟镇乡村"
_PLACE = re.compile(r"([\u4e00-\u9fff]{1,7}?(?:特别行政区|自治州|自治县|自治区|自治旗|地区|省|市|县|区|州|旗|盟|镇|乡|村))")
_NOT_IN_PLACE = set("委党局厅部会院府处科办室司所站校组团队和与及的")
_NOT_PLACES = {
    "自治区", "地区", "社区", "园区", "市区", "城区", "辖区", "景区", "郊区", "山区", "老区", "片区", "小区", "街区",
    "校区", "营区", "灾区", "林区", "牧区", "农村", "乡村", "城乡", "城市", "都市", "农业农村", "新农村",
    "美丽乡村", "半岛", "战区", "军区", "本市", "本县", "本区", "本省",
}
_PRONOUN_PLACE = re.compile(r"^[我全本该各此两三]")
_HEAD_LEVEL = {"省长": "省", "市长": "市", "县长": "县", "区长": "区", "州长": "州", "镇长": "镇", "乡长": "乡",
               "村长": "村", "旗长": "旗", "盟长": "盟"}
_PARTY_TITLES = ("党委书记", "党组书记", "党工委书记")
_TITLE_PREFIX = re.compile(r"^(常务副|执行|副)")
_ORG_TAIL = ("委", "局", "府", "厅", "部", "会", "院", "省", "市", "县", "区", "镇", "乡", "村", "组", "办", "室",
             "处", "司", "校", "行", "所", "站", "中心", "公司", "集团", "大学", "银行", "政协", "人大", "法院")


def split_place(org: str) -> tuple[str, str]:
    """``扶沟县委`` -> (扶沟县, 县委); ``周口市扶沟县委`` -> (扶沟县, 县委); ``县委`` -> ('', 县委).

    The org keeps its level character, so the same body of different places compares equal."""
    org = org.strip()
    party = re.match(r"^(?:中共|中国共产党)", org)
    if party and _PLACE.match(org[party.end():]):
        org = org[party.end():]  # 中共扶沟县委 -> 扶沟县委; 中共中央 stays
    place, rest = "", org
    while True:
        m = _PLACE.match(rest)
        if not m:
            break
        name = m.group(1)
        after = rest[len(name):]
        if after[:1] in "省市县区" and after[:1] != name[-1] and len(after) > 1 and name[-1] in "州区":
            name, after = name + after[0], after[1:]  # 广州 + 市委 -> 广州市, 委
        if any(ch in _NOT_IN_PLACE for ch in name[:-1]) or name in _NOT_PLACES:
            break
        if _PRONOUN_PLACE.match(name) and len(name) == 2:  # 我县, 全市: the level only
            rest = name[-1] + after if after and after[0] not in LEVELS else after
            break
        place, rest = name, after
        if not rest:
            break
    if place and rest and rest[0] not in LEVELS:
        level = place[-1]
        rest = level + rest
    return place, rest


def join_place(place: str, org: str) -> str:
    """(扶沟县, 县委) -> 扶沟县委; ('', 国务院) -> 国务院."""
    if not place:
        return org
    if org and org[0] == place[-1]:
        return place + org[1:]
    return place + org


def _base_title(title: str) -> str:
    return _TITLE_PREFIX.sub("", title)


def normalise_post(title: str, org: str | None, *, acting: bool = False, former: bool = False,
                   context: "PlaceContext | None" = None, sentence: str = "") -> tuple[Post, list[str]]:
    """The :class:`Post` of a title and organisation as printed, and the rules applied."""
    rules: list[str] = []
    title = title.strip()
    org = (org or "").strip()
    prefix = _TITLE_PREFIX.match(title)
    pre = prefix.group() if prefix else ""
    base = title[len(pre):]
    if base.startswith("代理"):
        base, acting = base[2:], True
    elif base.startswith("代") and len(base) > 2 and base[1:] != "表":  # 代市长, 代总统: acting; not 代表
        base, acting = base[1:], True
    if base in _PARTY_TITLES:
        base = "书记"
        rules.append("title:party-secretary")
    if org.endswith(("代理", "代")) and not org.endswith("人大代"):
        org, acting = re.sub(r"(?:代理|代)$", "", org), True
    if base == "书记" and org.endswith(("党委", "党组")) and len(org) > 3 and org[-3] not in LEVELS:
        org = org[:-2]  # 市财政局党组书记 -> 市财政局 书记
        rules.append("title:party-secretary")
    if base in ("国家主席", "国家副主席"):  # the head of state: 主席 of 中华人民共和国
        pre, base = ("副" if "副" in base else pre), "主席"
        org = org or "中华人民共和国"
        rules.append("title:head-of-state")
    if not org and base in _IMPLIED_ORG:  # 国务委员 is of 国务院, 总书记 of 中共中央 wherever printed alone
        org = _IMPLIED_ORG[base]
        rules.append("org:implied")
    if re.match(r"^(?:中华人民共和国)?常?驻", org):
        place = ""  # an embassy or mission: 驻加拿大, 常驻联合国…; the country is no place of ours
    else:
        place, org = split_place(org) if org else ("", "")
    org = org.replace("人民政府", "政府")
    org = _national_alias(org)
    if org.startswith("自治区") and not place and context is not None:
        regions = [c for c in context.by_level.get("区", []) if c.endswith("自治区")]
        if len(regions) == 1 or len([c for c in regions if c in sentence]) == 1:
            place = regions[0] if len(regions) == 1 else next(c for c in regions if c in sentence)
            org = org[2:]  # 自治区政府 -> 内蒙古自治区 / 区政府, as split_place gives it
            rules.append("place:context")
    level = _HEAD_LEVEL.get(base)
    if level and (not org or org in (level, level + "政府")):
        if not org:
            rules.append("org:head-of-government")
        org = level + "政府"
    if org and org[0] in LEVELS and not place and context is not None:
        found = context.place(org[0], sentence)
        if found:
            place = found
            rules.append("place:context")
    elif org.endswith("局") and not place and context is not None and org[0] not in LEVELS \
            and not re.match(r"^(?:国家|中国|全国|国务院|中央|中共|中华)", org):
        found = context.only()  # 交通局 in a 黄石市 article: a bureau of the article's place
        if found:
            place, org = found, found[-1] + org
            rules.append("place:context")
    return Post(pre + base, org, place, bool(acting), bool(former)), rules


# National posts of one body only, printed without it (习近平总书记, 国务委员王某, 某某委员长).
_IMPLIED_ORG = {"国务委员": "国务院", "总书记": "中共中央", "委员长": "全国人大常委会"}

# One national body under the names a paper prints it by: 中华人民共和国国务院 = 国务院,
# 中央军事委员会 = 中央军委, 中国 (as the state whose post it is) = 中华人民共和国.
_STATE = "中华人民共和国"
_NATIONAL_ALIASES = {"中国": _STATE, "中央军事委员会": "中央军委", "中华全国总工会": "全国总工会",
                     "中国共产党中央委员会": "中共中央", "中共中央委员会": "中共中央"}


def _national_alias(org: str) -> str:
    """A national body's usual name: a body printed after 中华人民共和国 without it, aliases mapped."""
    if org.startswith(_STATE) and len(org) > len(_STATE) and not org[len(_STATE):].startswith(("驻", "常驻")):
        org = org[len(_STATE):]  # (a mission abroad keeps the state's name: 中华人民共和国驻某国)
    return _NATIONAL_ALIASES.get(org, org)


class PlaceContext:
    """The places an article names, by level (县, 市 ...): fills ``县委`` -> ``扶沟县委``."""

    def __init__(self, names: Iterable[str]):
        self.by_level: dict[str, list[str]] = defaultdict(list)
        for name in names:
            if name and name[-1] in LEVELS and name not in self.by_level[name[-1]]:
                self.by_level[name[-1]].append(name)

    @classmethod
    def of_article(cls, article: Article) -> "PlaceContext":
        names = []
        for e in article.entities:
            if e.type == "place" and e.refers_to is None:
                p, rest = split_place(e.text)
                if p and not rest[1:]:
                    names.append(p)
            elif e.type == "org":
                names.append(split_place(e.refers_to or e.text)[0])
        for o in article.officials:
            if o.org:
                names.append(split_place(o.org)[0])
        return cls(n for n in names if n)

    def place(self, level: str, sentence: str = "") -> str | None:
        candidates = self.by_level.get(level, [])
        if len(candidates) == 1:
            return candidates[0]
        near = [c for c in candidates if c in sentence]
        return near[0] if len(near) == 1 else None

    def only(self) -> str:
        """The article's one place: of county level or below, else of city, else of province ('' when several)."""
        for levels in ("区县旗镇乡村", "市州盟", "省"):
            candidates = [c for level in levels for c in self.by_level.get(level, [])]
            if candidates:
                return candidates[0] if len(candidates) == 1 else ""
        return ""


# ---------------------------------------------------------------- mentions of one article

_MARKERS = ("代理", "代", "原任", "原", "时任", "前任", "前", "曾任")
_MARKER_STOP = set("，。；、,;：:“”‘’（）()《》 \n")


def post_status(sentence: str, name: str, title: str, org: str | None) -> tuple[bool, bool]:
    """(acting, former) of ``title`` held by ``name`` as the sentence prints it: 代市长X, 原县长X,
    时任县委书记X (the marker nearest the title wins)."""
    at = sentence.find(name)
    while at >= 0:
        t = sentence.rfind(title, max(0, at - 40), at)
        if t >= 0:
            window = sentence[max(0, t - 24):t]
            for k in range(len(window) - 1, -1, -1):
                if window[k] in _MARKER_STOP:
                    break
                for marker in _MARKERS:
                    if window.startswith(marker, k):
                        middle = window[k + len(marker):]
                        if _marker_counts(window, k, marker, middle, org):
                            return marker in ("代理", "代"), marker not in ("代理", "代")
            return False, False
        at = sentence.find(name, at + 1)
    return False, False


def _marker_counts(window: str, at: int, marker: str, middle: str, org: str | None) -> bool:
    """Is the marker at ``window[at]`` a status of the post (not part of a word or a place)?"""
    if middle and not (middle.endswith(_ORG_TAIL) or (org and (org.endswith(middle) or middle.endswith(org)))):
        return False
    if org and org.startswith(marker):  # 原阳县委: a place, not 原
        return False
    if marker.startswith("代") and middle.startswith("表"):
        return False
    if marker.startswith("前") or marker == "原":
        before = window[at - 1:at] if at > 0 else ""
        if before and "\u4e00" <= before <= "\u9fff" and before != "的":
            return False  # 目前, 日前, 此前; 还原
    return True


# heads of companies and shops: no public office (the registry keeps posts of public bodies)
_COMPANY_TITLES = {"总经理", "经理", "董事长", "董事", "总裁", "高级副总裁", "首席执行官", "首席运营官", "首席信息官",
                   "总监"}
_COMPANY_ORG = re.compile(r"(?:公司|集团|企业|商店|店|厂|商行|工作室|中心)$")


def _company_post(title: str, org: str | None) -> bool:
    """A post in a company (总经理, 董事长 anywhere; 负责人 of a 公司/店/中心), not a public office."""
    base = _TITLE_PREFIX.sub("", title)
    if base in _COMPANY_TITLES:
        return True
    return base == "负责人" and bool(org) and bool(_COMPANY_ORG.search(org))


def _is_address(official, addresses: set[str]) -> bool:
    """An official record made of a mention by form of address (谢书记 -> 谢, 书记)."""
    return len(official.name) <= 2 and any(
        text == official.name + official.title or (text.startswith(official.name) and text.endswith(official.title))
        for text in addresses)


def _title_fits(address_title: str, title: str) -> bool:
    """谢书记 may be the 书记 or the 副书记; 王局长 the 局长 or a 副局长."""
    return title == address_title or title.endswith(address_title) and _TITLE_PREFIX.sub("", title) == address_title


_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def article_mentions(page: Page, article: Article) -> tuple[list[Mention], list[Event]]:
    """Every person-in-post of one article (officials and events), addresses resolved in it."""
    context = PlaceContext.of_article(article)
    ctx_place = context.only()
    date = page.publication_date
    addresses = {e.text for e in article.entities if e.type == "person" and e.form == "address"}
    mentions: list[Mention] = []
    events = parse_events(article, date, context)
    for o in _officials(article, events):
        if not o.title or _company_post(o.title, o.org):
            continue
        acting, former = post_status(o.sentence, o.name, o.title, o.org)
        post, rules = normalise_post(o.title, o.org, acting=acting, former=former, context=context,
                                     sentence=o.sentence)
        address = _is_address(o, addresses)
        mentions.append(Mention(article.id, date, o.name, post, o.sentence, "official", address=address,
                                rules=rules, ctx_place=ctx_place))
    seen = {(m.name, m.post.title, m.sentence) for m in mentions}
    for ev in events:
        if ev.kind == "remove":
            post = Post(ev.post.title, ev.post.org, ev.post.place, ev.post.acting, True)
        else:
            post = ev.post
        if ev.kind != "nominate" and (ev.person, post.title, ev.sentence) in seen:
            for m in mentions:  # the official record of the same sentence takes the event's fuller post
                if m.name == ev.person and m.post.title == post.title and m.sentence == ev.sentence:
                    m.post = post
            continue
        mentions.append(Mention(article.id, ev.date or date, ev.person, post, ev.sentence, f"event:{ev.kind}",
                                counts=ev.kind != "nominate", rules=[f"event:{ev.kind}"], ctx_place=ctx_place))
    _resolve_addresses_in_article(mentions)
    return mentions, events


def _glued_before(sentence: str, at: int) -> bool:
    """Is the name at ``at`` a later name of a list (甲、乙; 甲以及乙), not one with its own title?"""
    return any(sentence[:at].endswith(g) for g in _LIST_GLUE)


_LIST_NAME = re.compile(r"、([\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff]{1,8})(?=[、，。；,;]|$)")
# units an untagged post names before its title: 交通局党组书记X (after 的 or a mark)
_UNIT_BEFORE = re.compile(r"的([^的，。；：、\s“”]{1,10}?(?:局|厅|办公室|委员会|公司|协会|学会))$")


def _list_name(piece: str, tagged: set[str], last: bool) -> bool:
    """May a piece of a 、 list that the tagger did not tag be a person name?"""
    from newsnlp.extract.ner_features import COMPOUND_SURNAMES, LISTED_SURNAMES, surnames

    if piece in tagged or "·" in piece:
        return True
    if piece[:2] in COMPOUND_SURNAMES:
        return len(piece) <= 4
    if piece[0] not in LISTED_SURNAMES and piece[0] not in surnames(min_count=2):
        return False
    return len(piece) <= 3 or (len(piece) == 4 and not last)


def _officials(article: Article, events: list[Event]) -> list:
    """The article's officials, with the rules the extractor leaves to the registry:

    - a list under one title goes on past names the tagger missed (``副委员长甲、乙、丙、丁``);
    - a name of a list that has its own event post in the sentence does not take the title of
      the name before it (``民建中央常务副主席甲以及乙、丙当选为副理事长``: 乙 and 丙 are not 常务副主席);
    - a title printed without an organisation takes the one of the post listed just before it in
      the sentence (``全国人大常委会副委员长甲、乙，秘书长丙``), or the unit printed before it
      (``身旁的交通局党组书记甲``), or the government of an autonomous region (``自治区主席甲``)."""
    from newsnlp.model import Official

    tagged = {e.text for e in article.entities if e.type == "person" and not e.form}
    in_event = {(e.person, e.sentence) for e in events if e.kind != "hold"}
    out = []
    have = {(o.name, o.title, o.sentence) for o in article.officials}
    for o in article.officials:
        at = o.sentence.find(o.name)
        glued = at > 0 and _glued_before(o.sentence, at) and o.sentence.find(o.title + o.name) < 0
        if glued and (o.name, o.sentence.strip()) in in_event:
            continue
        out.append(o)
        if not o.title:
            continue
        at = o.sentence.find(o.name)
        while at >= 0:
            k = at + len(o.name)
            while True:
                m = _LIST_NAME.match(o.sentence, k)
                if not m:
                    # the list's last name runs into the verb (甲、乙出席): a name the tagger found
                    found = [n for n in tagged if o.sentence.startswith("、" + n, k)]
                    if not found:
                        break
                    piece = max(found, key=len)
                    if (piece, o.title, o.sentence) not in have:
                        have.add((piece, o.title, o.sentence))
                        out.append(Official(name=piece, title=o.title, org=o.org, sentence=o.sentence))
                    break
                piece = m.group(1)
                last = o.sentence[m.end():m.end() + 1] != "、"
                if not _list_name(piece, tagged, last):
                    break
                if (piece, o.title, o.sentence) not in have:
                    have.add((piece, o.title, o.sentence))
                    out.append(Official(name=piece, title=o.title, org=o.org, sentence=o.sentence))
                k = m.end()
            at = o.sentence.find(o.name, at + 1)
    for i, o in enumerate(out):
        if o.org or not o.title:
            continue
        at = o.sentence.find(o.title + o.name)
        if at < 0:
            continue
        before = o.sentence[:at]
        org = None
        if before.endswith(("，", ",", "、")) and not _HEAD_LEVEL.get(_base_title(o.title)):
            prev = [p for p in out if p.sentence == o.sentence and p.org and before[:-1].endswith(p.name)]
            if prev:
                org = prev[-1].org
        elif before.endswith("自治区") and _base_title(o.title) == "主席":
            org = "自治区政府"
        else:
            m = _UNIT_BEFORE.search(before)
            if m and re.fullmatch(r"[\u4e00-\u9fff]+", m.group(1)):
                org = m.group(1)
        if org:
            out[i] = Official(name=o.name, title=o.title, org=org, sentence=o.sentence)
    return out


def _resolve_addresses_in_article(mentions: list[Mention]) -> None:
    named = [m for m in mentions if not m.address]
    for m in mentions:
        if not m.address:
            continue
        surname, title = m.name, m.post.title
        candidates = {c.name: c for c in named
                      if len(c.name) > len(surname) and c.name.startswith(surname) and not c.post.former
                      and _title_fits(title, c.post.title)}
        if len(candidates) == 1:
            (full, c), = candidates.items()
            m.name, m.post = full, c.post
            m.rules.append("address:article")
        else:
            m.resolved = False


# ---------------------------------------------------------------- events

_NAME = r"[\u4e00-\u9fff·]{2,5}?"
# one name of a list, with the marks printed after it: 张三（女）, 李四同志
_ONE = rf"{_NAME}(?:[（(]女[）)])?(?:同志)?"
# a list of names: 张甲、李乙（女）、王丙 (a single name is a list of one)
_NAMES = rf"{_ONE}(?:(?:、|以及|和|及){_ONE})*?"
_POST = r"[^，。；！？,;!?\n（(“”]{2,60}?"
_END = r"(?=职务|人选|候选人|[，。；！？,;!?\n（(]|$)"
_DELIMITED = [
    ("appoint", re.compile(rf"任命(?P<name>{_NAMES})为(?P<post>{_POST}){_END}")),
    ("remove", re.compile(rf"免去(?P<name>{_NAMES})(?:的|所任|担任的)(?P<post>{_POST})(?=职务)")),
    ("nominate", re.compile(rf"提名(?P<name>{_NAMES})为(?P<post>{_POST})(?=人选|候选人)")),
    ("elect", re.compile(rf"选举(?P<name>{_NAMES})为(?P<post>{_POST}){_END}")),
    # 当选为省委常委的还有甲、乙、丙
    ("elect", re.compile(rf"当选(?:为)?(?P<post>{_POST})的(?:还有|有)(?P<name>{_NAMES})(?=[，。；！？,;!?\n]|$)")),
]
# after a delimited appointment, more of the same list: 任命张三为A，李四为B; 选举甲为A，乙、丙为B
_MORE = {
    "appoint": re.compile(rf"[，,；;、](?:任命)?(?P<name>{_NAMES})为(?P<post>{_POST}){_END}"),
    "remove": re.compile(rf"[，,；;、](?:免去)?(?P<name>{_NAMES})(?:的|所任|担任的)(?P<post>{_POST})(?=职务)"),
    "elect": re.compile(rf"[，,；;、](?:选举)?(?P<name>{_NAMES})为(?P<post>{_POST}){_END}"),
}
_AFTER_NAME = [
    ("elect", re.compile(rf"(?:当选为|当选)(?P<post>{_POST}){_END}")),
    ("remove", re.compile(rf"不再担任(?P<post>{_POST})(?=职务)")),
    ("hold", re.compile(rf"(?P<verb>曾任|曾担任|现任|担任|出任|调任|转任|任)(?![命务期职免何])(?P<post>[^为]{{2,60}}?){_END}")),
    # 甲于某年某月调到某县任县长: moved to a place and took a post there (the place is the post's)
    ("hold", re.compile(r"(?:于[^，。；调]{2,12}?)?(?:调到|调往|调入|调至)(?P<unit>[\u4e00-\u9fff]{2,10}?)"
                        rf"(?:任|担任)(?![命务期职免何])(?P<post>[^为，。；]{{2,20}}?){_END}")),
]
_NAME_START = set("，。；！？,;!?、：:“”\n （(")
# between the names of a list
_LIST_GLUE = ("以及", "、", "和", "及")

# Titles of appointment notices that the officials extractor does not know (they are no forms
# of address after a surname): 副审计长, 部长助理, 审判员, 常驻联合国副代表.
NOTICE_TITLES = """
审计长 总审计师 总督察 督察长 审判员 助理审判员 检察员 助理检察员 部长助理 主任助理 院长助理 总经理助理
特派员 总会计师 总经济师 总工程师 总规划师 参事 大法官 大检察官 副代表 常驻代表 特别代表 首席代表
""".split()
# 委员, 常委 in a chain with a higher post of the same body are ranks of that post (党委委员、常委、书记)
_RANKS = ("委员", "常委")
# titles of a court or procuratorate, not of its chamber: 刑事审判第四庭副庭长、审判员 -> 法院 审判员
_COURT_TITLES = {"审判员": "法院", "助理审判员": "法院", "检察员": "检察院", "助理检察员": "检察院"}


def _post_title_rx() -> re.Pattern:
    from newsnlp.extract.officials import TITLE_PATTERN

    notice = "|".join(map(re.escape, sorted(NOTICE_TITLES, key=len, reverse=True)))
    return re.compile(rf"(?:{TITLE_PATTERN}|(?:常务副|副)?(?:{notice}))$")


_POST_TITLE: re.Pattern | None = None


def parse_post(text: str) -> tuple[str, str, bool] | None:
    """``周口市财政局局长`` -> (局长, 周口市财政局, acting); None when no title ends it.

    ``特命全权`` is the rank of an ambassador, not part of the organisation (``驻加拿大特命全权大使``
    -> 大使 / 驻加拿大; ``特命全权裁军事务大使`` -> 裁军事务大使)."""
    global _POST_TITLE
    if _POST_TITLE is None:
        _POST_TITLE = _post_title_rx()
    text = re.sub(r"(?:人选|候选人|的)$", "", text.strip())
    m = _POST_TITLE.search(text)
    if not m:
        return None
    title, org = m.group(), text[:m.start()]
    if title.endswith("大使") and "特命全权" in org:
        k = org.rfind("特命全权")
        org, title = org[:k], org[k + 4:] + title
    acting = False
    for marker in ("代理", "代"):
        if org.endswith(marker):
            org, acting = org[:-len(marker)], True
    org = re.sub(r"^(?:新一届|新任|新)", "", org)
    return title, org, acting


def _posts_of(text: str) -> list[tuple[str, str, bool]]:
    """A chain ``县委常委、副县长`` -> each post; a later part without its own org takes the first's.

    A 和 splits only between posts (``书记和县长``), not inside a name (``国家发展和改革委员会副主任``,
    ``工业和信息化部``); ranks before a higher post of the same body are dropped (``党委委员、常委、
    书记`` -> 书记); a 审判员 of a chamber is the court's (``…法院刑事审判第四庭副庭长、审判员``)."""
    parts: list[str] = []
    buf = ""
    for piece in re.split(r"([、和兼])", text):
        if piece in ("、", "和", "兼"):
            if buf and parse_post(buf) is not None:
                parts.append(buf)
                buf = ""
            elif buf:
                buf += piece
            continue
        buf += piece
    if buf:
        parts.append(buf)
    out: list[tuple[str, str, bool]] = []
    for part in parts:
        parsed = parse_post(part)
        if parsed is None:
            continue
        title, org, acting = parsed
        if not org and out:
            org = out[0][1] if not _HEAD_LEVEL.get(_base_title(title)) else ""
            body = _COURT_TITLES.get(title)
            if body and body in org and not org.endswith(body):
                org = org[:org.rindex(body) + len(body)]
        out.append((title, org, acting))
    return [p for p in out if not (p[0] in _RANKS and any(q[1] == p[1] and q[0] not in _RANKS for q in out))]


def _split_names(text: str) -> list[str]:
    """``张甲、李乙（女）和王丙同志`` -> [张甲, 李乙, 王丙]; a 和 ends no name of two (李连和)."""
    text = re.sub(r"[（(]女[）)]", "", text)
    out = []
    for part in re.split(r"、|以及", text):
        part = re.sub(r"同志$", "", part)
        m = re.fullmatch(r"([\u4e00-\u9fff·]{2,4}?)(?:同志)?(?:和|及)([\u4e00-\u9fff·]{2,4})", part)
        out.extend([m.group(1), m.group(2)] if m else [part])
    return [n for n in out if n]


_MEETING = re.compile(r"(?:^|(?<=[，。；：、\s（(“《]))(?P<org>[\u4e00-\u9fff]{2,20}?)第[一二三四五六七八九十百零〇\d]+"
                      r"(?:次|届)(?:全国|会员|全体)?(?:会员代表大会|代表大会|理事会)")


def _meeting_org(text: str) -> str:
    """The body whose congress the article reports (``中华职业教育社第十二次全国代表大会`` ->
    中华职业教育社), when there is one: the organisation of a post elected there without one."""
    found = {m.group("org") for m in _MEETING.finditer(text)}
    found = {o for o in found if o[-1] not in LEVELS and not _PRONOUN_PLACE.match(o)}
    return found.pop() if len(found) == 1 else ""


_DATELINE = re.compile(r"^\s*电")


def _act_dates(article: Article, date: str | None) -> tuple[list[tuple[int, str]], str | None]:
    """(day dates of the text by offset, the article's own date): its dateline (``新华社北京2月15日电``),
    else a day its headline prints (``（2019年2月27日…会议通过）``)."""
    text = article.text
    days = [(d.start, d.value) for d in article.dates if d.value and len(d.value) == 10 and d.granularity == "day"]
    for d in article.dates:
        if d.value and len(d.value) == 10 and d.granularity == "day" and _DATELINE.match(text[d.end_offset:d.end_offset + 3]):
            return days, d.value
    head = "".join(x for x in (article.title, article.subtitle or "") if x)
    if head and re.search(r"月[\d一二三四五六七八九十]{1,3}日", head):
        from newsnlp.extract.dates import dates as find_dates

        for d in find_dates(head, publication_date=date):
            if d.value and len(d.value) == 10 and d.granularity == "day":
                return days, d.value
    return days, None


def parse_events(article: Article, date: str | None, context: PlaceContext | None = None) -> list[Event]:
    """Appointment language of one article, as events (see the module doc).

    The date of an act is the day printed nearest it in its sentence, else the day of the
    lead-in it follows (``…会议于2019年10月26日的决定：``), else the article's dateline or
    headline day, else ``date`` (the publication date)."""
    text = article.text
    names = set()
    for e in article.entities:
        if e.type == "person" and not e.form:
            names.add(e.text)
            if e.text.endswith("任") and len(e.text) > 2:
                names.add(e.text[:-1])  # 陈立任淮阳区委书记: the tagger took 任 into the name
    names.update(o.name for o in article.officials if len(o.name) > 1)
    day_at, own_day = _act_dates(article, date)
    meeting = _meeting_org(article.title + "\n" + text)
    out: list[Event] = []
    seen: set[tuple] = set()
    lead_in = {"day": None, "decision": False}

    def day_of(at, s_start, s_end):
        inside = [(abs(pos - at), v) for pos, v in day_at if s_start <= pos < s_end]
        if inside:
            return min(inside)[1]
        return lead_in["day"] or own_day or date

    def add(kind, name, post_text, s_start, s_end, at, former=False):
        name = re.sub(r"同志$", "", name)
        size = len(name.replace("·", ""))
        if not (2 <= size <= 5 or "·" in name and size <= 10) or re.search(r"[为的任免去职务与及]", name[1:]) \
                or (size > 3 and "和" in name[1:]):
            return False
        day = day_of(at, s_start, s_end)
        sentence = text[s_start:s_end].strip()
        for title, org, acting in _posts_of(post_text):
            if not org and meeting and kind in ("elect", "appoint") and not _HEAD_LEVEL.get(_base_title(title)):
                org = meeting
            post, _ = normalise_post(title, org, acting=acting, former=former, context=context, sentence=sentence)
            key = (kind, name, post)
            if key not in seen:
                seen.add(key)
                out.append(Event(kind, name, post, day, article.id, sentence))
        return True

    def add_names(kind, names_text, post_text, s_start, s_end, at):
        for name in _split_names(names_text):
            add(kind, name, post_text, s_start, s_end, at)

    for sm in _SENTENCE.finditer(text):
        s_start, s_end = sm.span()
        sentence = sm.group()
        for kind, rx in _DELIMITED:
            for m in rx.finditer(sentence):
                add_names(kind, m.group("name"), m.group("post"), s_start, s_end, s_start + m.start())
                more = _MORE.get(kind)
                end = m.end()
                while more is not None:
                    tail = sentence[end:]
                    tail = re.sub(r"^(?:职务|人选|候选人)", "", tail)
                    skipped = len(sentence[end:]) - len(tail)
                    n = more.match(tail)
                    if not n:
                        break
                    add_names(kind, n.group("name"), n.group("post"), s_start, s_end, s_start + end + skipped)
                    end += skipped + n.end()
        decided = lead_in["decision"]
        subject = None  # the person a clause of this sentence is about: 甲任A，不再担任B职务
        hits = sorted(((m.start(), kind, m) for kind, rx in _AFTER_NAME for m in rx.finditer(sentence)),
                      key=lambda x: x[0])
        for _, kind, m in hits:
            if kind == "elect" and ("的还有" in m.group("post") or "的有" in m.group("post")):
                continue
            start = m.start()
            if sentence[max(0, start - 2):start] == "同志":
                start -= 2
            name = _name_before(sentence, start, names, loose=kind == "elect")
            if name is None and kind == "remove" and subject and sentence[start - 1:start] in "，,":
                name = subject
            if name is None:
                continue
            verb = m.groupdict().get("verb") or ""
            at = s_start + m.start()
            if kind == "hold" and verb == "任" and (decided or "决定：" in sentence[:m.start()]):
                kind = "appoint"  # 中共中央决定：甲任A
            post_text = m.group("post")
            unit = m.groupdict().get("unit")
            if unit:
                if not _PLACE.fullmatch(unit) or _posts_of(post_text) and _posts_of(post_text)[0][1]:
                    continue  # a place, then a title of its own (调到某县任县长), not 调到某局任某县长
                post_text = unit + post_text
            if add(kind, name, post_text, s_start, s_end, at, former=verb.startswith("曾")):
                subject = name
            if kind == "elect":
                # 甲、乙以及丙当选为A: the names listed before it
                k = start - len(name)
                while k > 0:
                    glue = next((g for g in _LIST_GLUE if sentence[:k].endswith(g)), None)
                    if glue is None:
                        break
                    prev = _name_before(sentence, k - len(glue), names, loose=True)
                    if prev is None:
                        break
                    add(kind, prev, m.group("post"), s_start, s_end, at)
                    k -= len(glue) + len(prev)
        stripped = sentence.strip()
        if stripped.endswith(("：", ":")):
            inside = [v for pos, v in day_at if s_start <= pos < s_end]
            lead_in["day"] = inside[-1] if inside else None
            lead_in["decision"] = "决定" in stripped[-6:]
    return out


def _name_before(sentence: str, end: int, names: set[str], *, loose: bool = True) -> str | None:
    """The person name ending at ``end``: a name the article tags, else (``loose``) 2-3
    characters after a punctuation mark."""
    best = None
    for n in names:
        if len(n) >= 2 and sentence[max(0, end - len(n)):end] == n and (best is None or len(n) > len(best)):
            best = n
    if best or not loose:
        return best
    for size in (3, 2):
        start = end - size
        if start >= 0 and (start == 0 or sentence[start - 1] in _NAME_START):
            cand = sentence[start:end]
            if re.fullmatch(r"[\u4e00-\u9fff]{2,3}", cand):
                return cand
    return None


# ---------------------------------------------------------------- clustering one name

def _cluster(rows: list[sqlite3.Row]) -> list[tuple[list[int], dict[int, str]]]:
    """Group the mentions of one name into people; returns [(mention ids, {id: rule})], the
    rule saying why each mention joined its person ("first" for the first of each)."""
    n = len(rows)
    parent = list(range(n))

    def find(i):
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    def union(i, j):
        a, b = sorted((find(i), find(j)))
        parent[b] = a

    def keys(r):
        yield ("a", r["article_id"]), "same-article"
        if r["place"]:
            yield ("p", r["place"]), "same-place"
        elif r["org"] and r["org"][0] not in LEVELS:
            yield ("o", r["org"]), "same-org"

    def placed(r):
        return bool(r["place"]) or bool(r["org"]) and r["org"][0] not in LEVELS

    first_with: dict[tuple, int] = {}
    for i, r in enumerate(rows):
        for key, _ in keys(r):
            if key in first_with:
                union(first_with[key], i)
            else:
                first_with[key] = i

    def groups() -> list[list[int]]:
        out: dict[int, list[int]] = defaultdict(list)
        for i in range(n):
            out[find(i)].append(i)
        return list(out.values())

    attached: dict[int, str] = {}  # loose group root -> rule
    # one post under two printed forms of its organisation (巴基斯坦 / 巴基斯坦伊斯兰共和国,
    # 腾讯公司 / 腾讯集团): groups of one title whose organisations share their first two characters
    placed_first = [g for g in groups() if any(placed(rows[i]) for i in g)]
    for a, ga in enumerate(placed_first):
        for gb in placed_first[a + 1:]:
            pairs = [(rows[i], rows[j]) for i in ga for j in gb]
            if any(_base_title(x["title"]) == _base_title(y["title"]) and x["org"] and y["org"]
                   and not x["place"] and not y["place"] and x["org"][:2] == y["org"][:2] for x, y in pairs):
                union(ga[0], gb[0])
                attached.setdefault(gb[0], "same-org")
    # one national career: the same name in central party and state bodies years apart (团中央 in one
    # decade, 国务院 in the next), or beside a post only one person holds at a time (国家主席, 总理)
    central_groups = [g for g in groups() if all(_central(rows[i]) for i in g)]
    for a, ga in enumerate(central_groups):
        for gb in central_groups[a + 1:]:
            if find(ga[0]) == find(gb[0]):
                continue
            sole = any(_sole_post(rows[i]) for i in ga + gb)
            if sole or _years_apart([rows[i]["date"] for i in ga], [rows[i]["date"] for i in gb]) >= CAREER_GAP_YEARS:
                union(ga[0], gb[0])
                attached.setdefault(gb[0], "same-career")
    # a provincial leader (省委书记, 省长, 自治区主席 and their deputies) holds a rank of the central
    # cadre list: the same name in a central body, before or after and not at the same time, is them
    leaders = [g for g in groups() if any(_provincial_leader(rows[i]) for i in g)
               and all(_provincial_leader(rows[i]) or _central(rows[i]) for i in g)]
    for ga in leaders:
        for gb in [g for g in groups() if all(_central(rows[i]) for i in g)]:
            if find(ga[0]) != find(gb[0]) and _years_apart([rows[i]["date"] for i in ga],
                                                           [rows[i]["date"] for i in gb]) > 0:
                union(ga[0], gb[0])
                attached.setdefault(gb[0], "same-career")
    placed_groups = [g for g in groups() if any(placed(rows[i]) for i in g)]
    by_title: dict[str, int] = {}
    for g in groups():
        if any(placed(rows[i]) for i in g):
            continue
        titles = {_base_title(rows[i]["title"]) for i in g}
        fits = [p for p in placed_groups if titles & {_base_title(rows[i]["title"]) for i in p}]
        if len(fits) == 1:
            union(fits[0][0], g[0])
            attached[g[0]] = "same-title"
        elif len(placed_groups) == 1 and not fits:
            union(placed_groups[0][0], g[0])
            attached[g[0]] = "only-candidate"
        else:
            t = min(titles)
            if t in by_title:
                union(by_title[t], g[0])
                attached[g[0]] = "unplaced"
            else:
                by_title[t] = g[0]
    out = []
    for g in groups():
        rules = {}
        for pos, i in enumerate(g):
            why = "first" if pos == 0 else None
            for key, rule in keys(rows[i]):
                if why is None and any(key in dict(keys(rows[j])) for j in g[:pos]):
                    why = rule
            if why is None:
                why = next((attached[j] for j in g if j in attached and rows[j]["article_id"] == rows[i]["article_id"]),
                           "same-article")
            rules[rows[i]["id"]] = why
        out.append(([rows[i]["id"] for i in g], rules))
    return out


#: mentions of one name in central bodies this many years apart are one career
CAREER_GAP_YEARS = 3
_CENTRAL = re.compile(r"^(?:中共中央|中央|国务院|全国人大|全国政协|团中央|共青团中央|中华人民共和国$|国家(?!.*驻))")
# posts one person holds at a time: the head of a national body (not a deputy)
_SOLE_POSTS = {("总书记", "中共中央"), ("主席", "中华人民共和国"), ("总理", "国务院"), ("委员长", "全国人大常委会"),
               ("主席", "全国政协"), ("主席", "中央军委")}


def _central(r) -> bool:
    """A post of a central party or state body (中共中央…, 国务院, 全国政协, a ministry 某部)."""
    org = r["org"] or ""
    if r["place"] or not org:
        return False
    return bool(_CENTRAL.match(org)) or (org.endswith("部") and 3 <= len(org) <= 4 and org[0] not in LEVELS)


def _provincial_leader(r) -> bool:
    """书记/副书记 of a province's party committee, 省长/副省长, 主席/副主席 of an autonomous region."""
    place, org, title = r["place"] or "", r["org"] or "", _base_title(r["title"])
    if not place.endswith(("省", "自治区")):
        return False
    return (title == "书记" and org in ("省委", "区党委", "区委")) or \
        (title in ("省长", "主席") and org in ("省政府", "区政府"))


def _sole_post(r) -> bool:
    return (r["title"], r["org"]) in _SOLE_POSTS


def _years_apart(a: list, b: list) -> float:
    """Years between two sets of dates (0 when they interleave or a date is missing)."""
    a = sorted(d for d in a if d)
    b = sorted(d for d in b if d)
    if not a or not b:
        return 0.0
    gap = max(_days(b[0], a[-1]) or 0, _days(a[0], b[-1]) or 0)
    return gap / 365.25 if gap > 0 else 0.0


def person_id(name: str, article_ids: Iterable[str]) -> str:
    """Stable for a cluster: the name and its first article id, hashed."""
    return "p" + hashlib.sha1(f"{name}|{min(article_ids)}".encode("utf-8")).hexdigest()[:11]


# ---------------------------------------------------------------- storage

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT);
CREATE TABLE IF NOT EXISTS pages (key TEXT PRIMARY KEY, mtime_ns INTEGER, size INTEGER);
CREATE TABLE IF NOT EXISTS mentions (
    id INTEGER PRIMARY KEY, page_key TEXT NOT NULL, article_id TEXT NOT NULL, date TEXT, name TEXT NOT NULL,
    title TEXT NOT NULL, org TEXT NOT NULL, place TEXT NOT NULL, acting INTEGER, former INTEGER,
    address INTEGER, resolved INTEGER, counts INTEGER, source TEXT, rules TEXT, ctx_place TEXT, sentence TEXT);
CREATE INDEX IF NOT EXISTS mentions_page ON mentions (page_key);
CREATE INDEX IF NOT EXISTS mentions_name ON mentions (name);
CREATE INDEX IF NOT EXISTS mentions_article ON mentions (article_id);
CREATE TABLE IF NOT EXISTS events (
    id INTEGER PRIMARY KEY, page_key TEXT NOT NULL, article_id TEXT NOT NULL, kind TEXT NOT NULL, name TEXT NOT NULL,
    title TEXT NOT NULL, org TEXT NOT NULL, place TEXT NOT NULL, acting INTEGER, date TEXT, sentence TEXT);
CREATE INDEX IF NOT EXISTS events_page ON events (page_key);
CREATE INDEX IF NOT EXISTS events_name ON events (name);
CREATE TABLE IF NOT EXISTS persons (id TEXT PRIMARY KEY, name TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS persons_name ON persons (name);
CREATE TABLE IF NOT EXISTS posts (
    id INTEGER PRIMARY KEY, title TEXT NOT NULL, org TEXT NOT NULL, place TEXT NOT NULL,
    acting INTEGER NOT NULL, former INTEGER NOT NULL, UNIQUE (title, org, place, acting, former));
CREATE INDEX IF NOT EXISTS posts_place ON posts (place, org);
CREATE TABLE IF NOT EXISTS links (
    mention_id INTEGER PRIMARY KEY, person_id TEXT NOT NULL, post_id INTEGER NOT NULL, rule TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS links_person ON links (person_id);
CREATE INDEX IF NOT EXISTS links_post ON links (post_id);
"""


def registry_path(archive: str | Path) -> Path:
    return Path(archive) / FILE_NAME


@dataclass
class UpdateReport:
    """What an update did."""

    pages: int = 0  # pages (re)read
    removed: int = 0  # pages gone from the archive
    names: int = 0  # names clustered again
    rebuilt: bool = False
    seconds: float = 0.0


def _connect(path: Path) -> sqlite3.Connection:
    db = sqlite3.connect(str(path), timeout=60, isolation_level=None)
    db.row_factory = sqlite3.Row
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA synchronous=NORMAL")
    return db


def _valid(db: sqlite3.Connection) -> bool:
    try:
        row = db.execute("SELECT value FROM meta WHERE key='schema'").fetchone()
        db.execute("SELECT 1 FROM links LIMIT 1").fetchall()
        return row is not None and row[0] == SCHEMA_VERSION
    except sqlite3.DatabaseError:
        return False


def _remove(path: Path) -> None:
    for p in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        try:
            p.unlink()
        except FileNotFoundError:
            pass


def _open_db(archive: Path) -> tuple[sqlite3.Connection, bool]:
    """The registry database, created or (when damaged or outdated) recreated; (db, created)."""
    path = registry_path(archive)
    existed = path.exists()
    if existed:
        try:
            db = _connect(path)
            if _valid(db):
                return db, False
            db.close()
        except sqlite3.DatabaseError:
            pass
        _remove(path)
    db = _connect(path)
    db.executescript(_SCHEMA)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
    return db, True


def _page_files(archive: Path) -> dict[str, tuple[int, int]]:
    out = {}
    pages = archive / "pages"
    if not pages.is_dir():
        return out
    with os.scandir(pages) as it:
        for entry in it:
            if entry.name.endswith(".json") and not entry.name.startswith("."):
                try:
                    st = entry.stat()
                except FileNotFoundError:
                    continue
                out[entry.name[:-5]] = (st.st_mtime_ns, st.st_size)
    return out


def update(archive: str | Path, pages: Iterable[Page | str] | None = None) -> UpdateReport:
    """Bring ``ARCHIVE/registry.sqlite`` up to date with the archive's pages.

    ``pages``: pages (or page keys) just stored: read again even when their file looks
    unchanged.  Every other page file added, changed or removed since the last update is
    found by its size and time and handled too.  A damaged registry is rebuilt."""
    from newsnlp.store import PageStore, page_key

    started = time.monotonic()
    archive = Path(archive)
    try:
        db, created = _open_db(archive)
    except sqlite3.DatabaseError:
        _remove(registry_path(archive))
        db, created = _open_db(archive)
    report = UpdateReport(rebuilt=created)
    try:
        forced = {p if isinstance(p, str) else page_key(p.source) for p in (pages or [])}
        files = _page_files(archive)
        known = {r[0]: (r[1], r[2]) for r in db.execute("SELECT key, mtime_ns, size FROM pages")}
        changed = sorted(k for k, stat in files.items() if k in forced or known.get(k) != stat)
        removed = sorted((set(known) | forced) - set(files))
        if not changed and not removed:
            return report
        store = PageStore(archive)
        db.execute("BEGIN IMMEDIATE")
        try:
            # another process (an ingest, a reader) may have updated it while we waited for the lock
            known = {r[0]: (r[1], r[2]) for r in db.execute("SELECT key, mtime_ns, size FROM pages")}
            changed = sorted(k for k, stat in files.items() if k in forced or known.get(k) != stat)
            removed = sorted((set(known) | forced) - set(files))
            names: set[str] = set()
            places: set[str] = set()
            for key in removed + changed:
                for r in db.execute("SELECT name, place, ctx_place FROM mentions WHERE page_key=?", (key,)):
                    names.add(r[0])
                    places.update((r[1], r[2]))
                names.update(r[0] for r in db.execute("SELECT name FROM events WHERE page_key=?", (key,)))
                db.execute("DELETE FROM links WHERE mention_id IN (SELECT id FROM mentions WHERE page_key=?)", (key,))
                db.execute("DELETE FROM mentions WHERE page_key=?", (key,))
                db.execute("DELETE FROM events WHERE page_key=?", (key,))
                db.execute("DELETE FROM pages WHERE key=?", (key,))
            report.removed = len(removed)
            for key in changed:
                path = store.pages_dir / f"{key}.json"
                try:
                    page = store.load(path)
                except Exception:  # an unreadable page file contributes nothing (ingest reports it)
                    page = None
                if page is not None:
                    m_rows, e_rows = _page_rows(key, page)
                    db.executemany("INSERT INTO mentions (page_key, article_id, date, name, title, org, place, acting,"
                                   " former, address, resolved, counts, source, rules, ctx_place, sentence)"
                                   " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)", m_rows)
                    db.executemany("INSERT INTO events (page_key, article_id, kind, name, title, org, place, acting,"
                                   " date, sentence) VALUES (?,?,?,?,?,?,?,?,?,?)", e_rows)
                    for r in m_rows:
                        names.add(r[3])
                        places.update((r[6], r[14]))
                db.execute("INSERT OR REPLACE INTO pages VALUES (?, ?, ?)", (key, *files[key]))
                report.pages += 1
            names.discard("")
            for name in sorted(names):
                _recluster(db, name, places)
            report.names = len(names)
            places.discard("")
            _resolve_addresses_by_post(db, places)
            db.execute("DELETE FROM posts WHERE id NOT IN (SELECT post_id FROM links)")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
    finally:
        db.close()
    report.seconds = time.monotonic() - started
    return report


def _page_rows(key: str, page: Page) -> tuple[list[tuple], list[tuple]]:
    m_rows, e_rows = [], []
    for article in page.articles:
        mentions, events = article_mentions(page, article)
        for m in mentions:
            p = m.post
            m_rows.append((key, m.article_id, m.date, m.name, p.title, p.org, p.place, int(p.acting), int(p.former),
                           int(m.address), int(m.resolved), int(m.counts), m.source, ",".join(m.rules), m.ctx_place,
                           m.sentence))
        for e in events:
            p = e.post
            e_rows.append((key, e.article, e.kind, e.person, p.title, p.org, p.place, int(p.acting), e.date,
                           e.sentence))
    return m_rows, e_rows


def _post_id(db: sqlite3.Connection, title, org, place, acting, former) -> int:
    row = db.execute("SELECT id FROM posts WHERE title=? AND org=? AND place=? AND acting=? AND former=?",
                     (title, org, place, acting, former)).fetchone()
    if row:
        return row[0]
    return db.execute("INSERT INTO posts (title, org, place, acting, former) VALUES (?,?,?,?,?)",
                      (title, org, place, acting, former)).lastrowid


def _recluster(db: sqlite3.Connection, name: str, places: set[str]) -> None:
    """Cluster every mention of ``name`` again; the places it touches join ``places``."""
    old = [r[0] for r in db.execute("SELECT id FROM persons WHERE name=?", (name,))]
    for pid in old:
        db.execute("DELETE FROM links WHERE person_id=?", (pid,))
    db.execute("DELETE FROM persons WHERE name=?", (name,))
    rows = db.execute("SELECT * FROM mentions WHERE name=? AND (address=0 OR resolved=1) ORDER BY article_id, id",
                      (name,)).fetchall()
    if not rows:
        return
    by_id = {r["id"]: r for r in rows}
    for ids, rules in _cluster(rows):
        pid = person_id(name, (by_id[i]["article_id"] for i in ids))
        db.execute("INSERT INTO persons VALUES (?, ?)", (pid, name))
        # the placed posts of this person, by title: a mention of the title alone (书记, 县委书记
        # with no place) is the one placed post of that title when there is exactly one
        placed: dict[tuple, set[tuple]] = defaultdict(set)
        for i in ids:
            r = by_id[i]
            if r["place"] or r["org"] and r["org"][0] not in LEVELS:
                placed[(r["title"], r["acting"], r["former"])].add((r["org"], r["place"]))
        # one post under a short and a full form of its organisation (某国 / 某国某某共和国): the full
        # one; not a unit under the body (外交部 / 外交部办公厅 are two organisations)
        fuller: dict[tuple[str, str], str] = {}
        for i in ids:
            r = by_id[i]
            if r["org"] and not r["place"] and r["org"][0] not in LEVELS:
                for j in ids:
                    o = by_id[j]
                    if o["title"] == r["title"] and not o["place"] and len(o["org"]) > len(r["org"]) \
                            and o["org"].startswith(r["org"]) and not o["org"].endswith(_ORG_TAIL) \
                            and len(o["org"]) > len(fuller.get((r["title"], r["org"]), "")):
                        fuller[(r["title"], r["org"])] = o["org"]
        for i in ids:
            r = by_id[i]
            places.update((r["place"], r["ctx_place"]))
            org, place, extra = fuller.get((r["title"], r["org"]), r["org"]), r["place"], ""
            if org != r["org"]:
                extra = ",post:full-org"
            if not place and (not org or org[0] in LEVELS):
                fits = [(o, p) for o, p in placed.get((r["title"], r["acting"], r["former"]), ())
                        if not org or o == org]
                if len(fits) == 1:
                    (org, place), extra = fits[0], ",post:same-title"
            post = _post_id(db, r["title"], org, place, r["acting"], r["former"])
            rule = rules[i] + extra + ("," + r["rules"] if r["rules"] else "")
            db.execute("INSERT INTO links VALUES (?, ?, ?, ?)", (i, pid, post, rule))


def _days(a: str | None, b: str | None) -> int | None:
    try:
        return (dt.date.fromisoformat(a) - dt.date.fromisoformat(b)).days
    except (TypeError, ValueError):
        return None


def _resolve_addresses_by_post(db: sqlite3.Connection, places: set[str]) -> None:
    """Addresses (谢书记) the article could not resolve, in ``places``: the one person of that
    surname holding a fitting post in that place within ADDRESS_WINDOW_DAYS of the date."""
    if not places:
        return
    marks = ",".join("?" * len(places))
    pending = db.execute(
        f"SELECT * FROM mentions WHERE address=1 AND resolved=0 AND (place IN ({marks}) OR (place='' AND ctx_place IN ({marks})))",
        (*places, *places)).fetchall()
    for m in pending:
        db.execute("DELETE FROM links WHERE mention_id=?", (m["id"],))
        place = m["place"] or m["ctx_place"]
        sql = ("SELECT pe.id AS person, pe.name AS name, p.id AS post, p.title AS title, MIN(me.date) AS first,"
               " MAX(me.date) AS last FROM posts p JOIN links l ON l.post_id=p.id JOIN mentions me ON me.id=l.mention_id"
               " JOIN persons pe ON pe.id=l.person_id WHERE p.place=? AND p.former=0 AND me.address=0")
        args: list[Any] = [place]
        if m["org"]:
            sql += " AND p.org=?"
            args.append(m["org"])
        sql += " GROUP BY pe.id, p.id"
        fits: dict[str, tuple[str, int]] = {}
        for c in db.execute(sql, args):
            if len(c["name"]) <= len(m["name"]) or not c["name"].startswith(m["name"]):
                continue
            if not _title_fits(m["title"], c["title"]):
                continue
            if m["date"]:
                before, after = _days(c["first"], m["date"]), _days(m["date"], c["last"])
                if before is not None and before > ADDRESS_WINDOW_DAYS or after is not None and after > ADDRESS_WINDOW_DAYS:
                    continue
            fits.setdefault(c["person"], (c["name"], c["post"]))
        if len(fits) == 1:
            (pid, (_, post)), = fits.items()
            db.execute("INSERT INTO links VALUES (?, ?, ?, ?)", (m["id"], pid, post, "address:org-date"))


def rebuild(archive: str | Path) -> UpdateReport:
    """Build the registry again from every stored page (``newsnlp reindex`` calls it)."""
    from newsnlp.store import PageStore

    archive = Path(archive)
    PageStore(archive).require()
    _remove(registry_path(archive))
    report = update(archive)
    report.rebuilt = True
    return report


def safe_update(archive: str | Path, pages: Iterable[Page | str] | None = None) -> str | None:
    """:func:`update` for ingest: never raises; a failed update drops the registry file (the next
    reader rebuilds it) and returns one line saying so."""
    try:
        update(archive, pages)
        return None
    except Exception as exc:  # the registry is derived data: it must never fail an ingest
        try:
            _remove(registry_path(archive))
        except OSError:
            pass
        return f"officials registry not updated ({type(exc).__name__}: {exc}); it is rebuilt when next read"


# ---------------------------------------------------------------- reading

def _in_range(first: str | None, last: str | None, date_from: str | None, date_to: str | None) -> bool:
    """Does [first, last] meet [date_from, date_to]?  Partial dates (YYYY, YYYY-MM) widen."""
    if date_from and (last or first or "") < date_from:
        return False
    if date_to and (first or last or "9999")[:len(date_to)] > date_to:
        return False
    return True


class Registry:
    """Read access to an archive's registry (kept up to date when opened)."""

    def __init__(self, archive: str | Path, *, sync: bool = True):
        from newsnlp.store import PageStore

        from newsnlp.errors import ArchiveError

        self.archive = Path(archive)
        PageStore(self.archive).require()
        path = registry_path(self.archive)
        try:
            if sync:
                try:
                    update(self.archive)
                except sqlite3.DatabaseError:
                    rebuild(self.archive)
            self.db = _connect(path)
            if not _valid(self.db):
                self.db.close()
                rebuild(self.archive)
                self.db = _connect(path)
        except (OSError, sqlite3.Error) as exc:  # a read-only archive: read the registry as it is, if any
            try:
                self.db = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
                self.db.row_factory = sqlite3.Row
                if not _valid(self.db):
                    raise sqlite3.DatabaseError("no valid registry")
            except sqlite3.Error:
                raise ArchiveError(f"cannot build the officials registry at {path}: {exc}") from None

    def close(self) -> None:
        self.db.close()

    def __enter__(self) -> "Registry":
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    # -- tenures
    def _tenures(self, where: str = "", args: Iterable[Any] = ()) -> list[dict[str, Any]]:
        sql = ("SELECT l.person_id AS person_id, pe.name AS name, p.id AS post_id, p.title AS title, p.org AS org,"
               " p.place AS place, p.acting AS acting, p.former AS former, MIN(m.date) AS first_seen,"
               " MAX(m.date) AS last_seen, COUNT(*) AS mentions, GROUP_CONCAT(DISTINCT m.article_id) AS articles"
               " FROM links l JOIN mentions m ON m.id=l.mention_id JOIN persons pe ON pe.id=l.person_id"
               " JOIN posts p ON p.id=l.post_id WHERE m.counts=1" + (f" AND {where}" if where else "") +
               " GROUP BY l.person_id, l.post_id")
        out = []
        for r in self.db.execute(sql, tuple(args)):
            d = dict(r)
            d["articles"] = sorted(set((d["articles"] or "").split(","))) if d["articles"] else []
            d["acting"], d["former"] = bool(d["acting"]), bool(d["former"])
            out.append(d)
        out.sort(key=lambda d: (d["first_seen"] or "9999", d["last_seen"] or "9999", d["title"], d["org"]))
        return out

    def _events(self, person_ids: list[str]) -> dict[str, list[dict[str, Any]]]:
        out: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for chunk in _chunks(person_ids, 500):
            marks = ",".join("?" * len(chunk))
            for r in self.db.execute(
                    "SELECT DISTINCT l.person_id, e.kind, e.title, e.org, e.place, e.acting, e.date, e.article_id,"
                    " e.sentence FROM links l JOIN mentions m ON m.id=l.mention_id JOIN events e"
                    " ON e.article_id=m.article_id AND e.name=m.name"
                    f" AND m.source LIKE 'event:%' WHERE l.person_id IN ({marks})", chunk):
                out[r[0]].append({"kind": r[1], "title": ("代" if r[5] else "") + r[2], "org": join_place(r[4], r[3]), "date": r[6],
                                  "article": r[7], "place": r[4], "acting": bool(r[5]), "sentence": r[8]})
        for evs in out.values():
            uniq = {(e["kind"], e["title"], e["org"], e["date"], e["article"]): e for e in evs}
            evs[:] = sorted(uniq.values(), key=lambda e: (e["date"] or "9999", e["article"], e["kind"]))
        return out

    def people(self, *, name: str | None = None, org: str | None = None, place: str | None = None,
               title: str | None = None, date_from: str | None = None, date_to: str | None = None,
               ids: Iterable[str] | None = None) -> list[dict[str, Any]]:
        """People with their posts and events, in the JSON shape of ``newsnlp officials --json``.

        ``name`` exact; ``org`` a part of the organisation as printed (扶沟县委) or normalised
        (县委); ``place`` and ``title`` parts of theirs; ``date_from``/``date_to`` (YYYY,
        YYYY-MM or YYYY-MM-DD) keep posts seen in that period.  A person is listed with the
        posts that match; events are all of theirs in the period."""
        where, args = [], []
        if name:
            where.append("pe.name=?")
            args.append(name)
        if ids is not None:
            ids = list(ids)
            where.append(f"pe.id IN ({','.join('?' * len(ids))})")
            args.extend(ids)
        if title:
            where.append("p.title LIKE ?")
            args.append(f"%{title}%")
        if place:
            where.append("p.place LIKE ?")
            args.append(f"%{place}%")
        rows = self._tenures(" AND ".join(where), args)
        if org:
            rows = [r for r in rows if org in r["org"] or org in join_place(r["place"], r["org"])]
        rows = [r for r in rows if _in_range(r["first_seen"], r["last_seen"], date_from, date_to)]
        by_person: dict[str, list[dict[str, Any]]] = defaultdict(list)
        names = {}
        for r in rows:
            by_person[r["person_id"]].append(r)
            names[r["person_id"]] = r["name"]
        events = self._events(list(by_person))
        people = []
        for pid, posts in by_person.items():
            people.append({
                "name": names[pid], "id": pid,
                "posts": [{"title": _status_title(r), "org": r["org"], "place": r["place"],
                           "first_seen": r["first_seen"], "last_seen": r["last_seen"], "mentions": r["mentions"],
                           "articles": r["articles"]} for r in posts],
                "events": [{k: e[k] for k in ("kind", "title", "org", "date", "article")}
                           for e in events.get(pid, []) if _in_range(e["date"], e["date"], date_from, date_to)],
            })
        people.sort(key=lambda p: (p["name"], min((x["first_seen"] or "9999") for x in p["posts"]), p["id"]))
        return people

    def timeline(self, name: str) -> list[dict[str, Any]]:
        """Every person of that name, posts in date order, with events and article ids; an id works too."""
        found = self.people(name=name)
        if not found and re.fullmatch(r"p[0-9a-f]{11}", name):
            found = self.people(ids=[name])
        return found

    def who(self, *, title: str, org: str | None = None, date: str | None = None,
            place: str | None = None) -> list[dict[str, Any]]:
        """Holders of ``title`` in ``org`` (as printed or normalised) around ``date``.

        A tenure counts when the date falls between its first and last mention, or after an
        appointment/election to the post and before a removal from it.  Each answer says
        which (``basis``: seen | appointed | elected); without a hit, the last holder seen
        before the date (``basis``: last-seen-before)."""
        where, args = ["p.former=0", "p.title=?"], [re.sub(r"^代(?:理)?", "", title)]
        if re.match(r"^代", title):
            where.append("p.acting=1")  # 代县长: the acting heads only; 县长: acting ones too
        if place:
            where.append("p.place LIKE ?")
            args.append(f"%{place}%")
        rows = self._tenures(" AND ".join(where), args)
        if org:
            rows = [r for r in rows if org == r["org"] or org == join_place(r["place"], r["org"])
                    or org in join_place(r["place"], r["org"])]
        events = self._events(sorted({r["person_id"] for r in rows}))
        out, before = [], []
        for r in rows:
            starts = [e["date"] for e in events.get(r["person_id"], []) if e["kind"] in ("appoint", "elect")
                      and e["title"] == _status_title(r) and e["org"] == join_place(r["place"], r["org"]) and e["date"]]
            ends = [e["date"] for e in events.get(r["person_id"], []) if e["kind"] == "remove"
                    and e["title"] == _status_title(r) and e["org"] == join_place(r["place"], r["org"]) and e["date"]]
            answer = {"name": r["name"], "id": r["person_id"], "title": _status_title(r),
                      "org": r["org"], "place": r["place"], "first_seen": r["first_seen"],
                      "last_seen": r["last_seen"], "articles": r["articles"]}
            if date is None or (r["first_seen"] or "9999") <= date <= (r["last_seen"] or ""):
                out.append({**answer, "basis": "seen"})
                continue
            start = max((s for s in starts if s <= date), default=None)
            if start and not any(start <= e <= date for e in ends):
                out.append({**answer, "basis": "appointed"})
                continue
            if r["last_seen"] and r["last_seen"] < date:
                before.append({**answer, "basis": "last-seen-before"})
        if not out and before:
            latest = max(b["last_seen"] for b in before)
            out = [b for b in before if b["last_seen"] == latest]
        return out

    def article_people(self, article_id: str) -> dict[str, str]:
        """The people one article's mentions were linked to: ``{name: person id}`` (names as
        resolved: a 谢书记 resolved in the article is under its full name)."""
        out: dict[str, str] = {}
        for r in self.db.execute(
                "SELECT m.name, l.person_id FROM mentions m JOIN links l ON l.mention_id=m.id"
                " WHERE m.article_id=? AND m.resolved=1 ORDER BY m.counts DESC, m.id", (article_id,)):
            out.setdefault(r[0], r[1])
        return out

    # -- tables for export
    def post_rows(self) -> Iterator[tuple]:
        """(post_id, title, org, place, org_name, acting, former, holders, mentions)."""
        sql = ("SELECT p.id, p.title, p.org, p.place, p.acting, p.former, COUNT(DISTINCT l.person_id),"
               " SUM(m.counts) FROM posts p JOIN links l ON l.post_id=p.id JOIN mentions m ON m.id=l.mention_id"
               " GROUP BY p.id ORDER BY p.place, p.org, p.title, p.acting, p.former")
        for r in self.db.execute(sql):
            yield (r[0], r[1], r[2], r[3], join_place(r[3], r[2]), bool(r[4]), bool(r[5]), r[6], r[7] or 0)

    def tenure_rows(self) -> Iterator[tuple]:
        for r in sorted(self._tenures(), key=lambda d: (d["name"], d["person_id"], d["first_seen"] or "9999",
                                                        d["title"])):
            yield (r["person_id"], r["name"], r["post_id"], r["title"], r["org"], r["place"],
                   join_place(r["place"], r["org"]), r["acting"], r["former"], r["first_seen"], r["last_seen"],
                   r["mentions"], ";".join(r["articles"]))

    def event_rows(self) -> Iterator[tuple]:
        """Events with the person each was linked to (empty when the name is not resolved)."""
        sql = ("SELECT e.kind, e.name, e.title, e.org, e.place, e.acting, e.date, e.article_id, e.sentence,"
               " (SELECT l.person_id FROM mentions m JOIN links l ON l.mention_id=m.id WHERE m.article_id=e.article_id"
               "  AND m.name=e.name LIMIT 1) FROM events e"
               " ORDER BY e.date, e.article_id, e.id")
        for r in self.db.execute(sql):
            yield (r[9], r[1], r[0], r[2], r[3], r[4], join_place(r[4], r[3]), bool(r[5]), r[6], r[7], r[8])


def _status_title(r: dict[str, Any]) -> str:
    """The title with its status as printed: 原县长 (former), 代市长 (acting)."""
    return ("原" if r["former"] else "") + ("代" if r["acting"] else "") + r["title"]


def _chunks(items: list, size: int) -> Iterator[list]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def open_registry(archive: str | Path) -> Registry:
    """The registry of ``archive``, updated (or rebuilt) first."""
    return Registry(archive)


__all__ = [
    "Event", "Mention", "Person", "PlaceContext", "Post", "Registry", "Tenure", "UpdateReport", "article_mentions",
    "join_place", "normalise_post", "open_registry", "parse_events", "rebuild", "registry_path", "safe_update",
    "split_place", "update",
]
