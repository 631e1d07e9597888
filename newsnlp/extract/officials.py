"""Named people with a post: ``区党工委书记张三`` -> Official(张三, 书记, 区党工委, sentence).

Patterns, tried in this order for every person name the entity finder reports:

- title before the name, with the organisation before the title when there is
  one (``示范区财政局局长X``, ``该局局长X`` -> the organisation 该局 refers to);
  in a chain of posts (``中共中央总书记、国家主席X``) the last one is kept;
- a list under one title (``区领导X、Y、Z``): later names take the title of the first;
- a title right after the name (``X局长``).

Reporters (``记者X``, ``通讯员X``) are never officials.
"""
from __future__ import annotations

import re

from newsnlp.model import Entity, Official

# Posts; each may also take 副 / 常务副 / 执行 in front (副局长, 常务副市长).
BASE_TITLES = """
总书记 书记 第一书记 主任 主任委员 局长 区长 县长 市长 省长 州长 镇长 乡长 村长 主席 国家主席 总理
部长 厅长 处长 科长 股长 所长 院长 校长 园长 馆长 站长 队长 大队长 支队长 行长 署长 组长 团长 台长
社长 会长 理事长 秘书长 董事长 董事 总经理 经理 总裁 总监 主编 总编辑 委员 常委 政委 司令员 司令 参谋长
军长 师长 旅长 检察长 庭长 审判长 主委 委员长 议长 总统 首相 外长 巡视员 调研员 专员 干事 发言人
党组书记 支部书记 村支书 大使 总领事 领事 负责人 召集人
""".split()
# Posts of national, foreign, military and company news (2019 dev articles of People's Daily) that
# are not forms of address after a surname (BASE_TITLES are: 谢书记), so they stay out of BASE_TITLES.
EXTRA_TITLES = """
国务委员 国家副主席 代总统 总参谋长 旅团长 指挥长 教导员 联合主席 名誉主席 荣誉主席 创会主席 首席大法官
行政长官 议员 理事 党组成员 司长 总司长 贸易代表 官房长官 参赞 公使衔参赞 首席执行官 首席运营官
首席信息官 高级副总裁 副总裁 天皇 皇帝
部长助理 主任助理 院长助理 局长助理 省长助理 市长助理 县长助理 校长助理
""".split()
# 区领导, 市领导: the unit's leaders as a group post.
_GROUP_TITLE = r"[省市县区州镇乡村局委厅部]领导"
_PREFIX = r"(?:常务副|执行|副)?"
TITLES = sorted(set(BASE_TITLES) | set(EXTRA_TITLES), key=len, reverse=True)
_TITLE_ALT = _GROUP_TITLE + "|" + _PREFIX + "(?:" + "|".join(map(re.escape, TITLES)) + ")"
TITLE_PATTERN = _TITLE_ALT
_TITLE_BEFORE = re.compile(rf"(?:{_TITLE_ALT})$")
_TITLE_AFTER = re.compile(rf"^(?:{_TITLE_ALT})")
# Party and government bodies that fuse with a title when written without an
# organisation name (区党工委书记, 市委副书记, 管委会主任).
_ORG_STEM = re.compile(
    r"(?:中共)?(?:[省市县区州镇乡村]|中央|国务院|自治区)?"
    r"(?:党工委|党委|党组|工委|纪委|纪工委|监委|管委会|委员会|人大常委会|人大|政协|政府|人民政府|委)$"
)
# Words just before a name that make it a byline, not a post.
_REPORTER = re.compile(r"(?:记者|通讯员|实习生|摄影|摄|(?<!总)编辑|作者|撰稿|供稿|报道)[\s　:：]*$")
# Between two names of one list: a separator, or nothing when print spaces were lost.
_LIST_SEP = re.compile(r"^[、，,和及与]?$|^[、，,]?(?:以及|和|及)$")
_SENTENCE = re.compile(r"[^。！？!?\n]+[。！？!?]*")


def officials(text: str, *, entities: list[Entity] | None = None) -> list[Official]:
    """Every person name in ``text`` stated with a post.

    Args:
        text: article text.
        entities: the result of :func:`newsnlp.extract.entities.entities` for
            ``text``, when already computed (saves tagging it twice).
    Returns:
        One Official per (name, title, org, sentence), in text order.
    """
    if entities is None:
        from newsnlp.extract.entities import entities as find_entities

        entities = find_entities(text)
    # a person named by a form of address holds a post by the name part (谢书记 -> 谢, 书记)
    ordered = sorted((_by_name(e) for e in entities), key=lambda x: (x.start, x.end))
    orgs_ending = {x.end: x for x in ordered if x.type in ("org", "place")}
    sentences = [(m.start(), m.end()) for m in _SENTENCE.finditer(text)]

    def sentence_of(pos: int) -> tuple[int, int]:
        for s, e in sentences:
            if s <= pos < e:
                return s, e
        return 0, len(text)

    out: list[Official] = []
    seen: set[tuple[str, str, str | None, str]] = set()
    last: tuple[Entity, str, str | None] | None = None  # previous person with a post
    for ent in ordered:
        if ent.type != "person" or ent.refers_to is not None:
            continue
        s_start, s_end = sentence_of(ent.start)
        before = text[max(s_start, ent.start - 30):ent.start]
        if _REPORTER.search(before):
            last = None
            continue
        post = _post_before(text, before, ent.start, orgs_ending)
        if post is None and last is not None:
            prev, title, org = last
            if prev.end >= s_start and _LIST_SEP.match(text[prev.end:ent.start].strip()):
                post = (title, org)
        if post is None:
            post = _post_after(text, ent, orgs_ending)
        if post is None:
            last = None
            continue
        title, org = post
        last = (ent, title, org)
        sentence = text[s_start:s_end].strip()
        posts = [(title, org)]
        if text[max(0, ent.start - len(title)):ent.start] == title:
            org_start = ent.start - len(title) - len(org or "")
            if org and text[org_start:org_start + len(org)] != org and text[org_start + 1:org_start + 1 + len(org)] == org:
                org_start += 1  # 外交部长: the title's 部 is the organisation's
            posts = _chain_before(text, org_start, s_start, orgs_ending) + posts
        for title, org in posts:
            key = (ent.text, title, org, sentence)
            if key not in seen:
                seen.add(key)
                out.append(Official(name=ent.text, title=title, org=org, sentence=sentence))
    return out


def _by_name(entity: Entity) -> Entity:
    """A mention by form of address (谢书记) as its name part (谢); other entities unchanged."""
    if not entity.form:
        return entity
    from newsnlp.extract.entities import name_span

    start, end = name_span(entity)
    return Entity(entity.text[start - entity.start:end - entity.start], entity.type, start, end)


def _org_before(text: str, end: int, orgs_ending: dict[int, Entity]) -> str | None:
    """The organisation (or place) name, or the anaphor's referent, ending at ``end``."""
    ent = orgs_ending.get(end)
    if ent is not None:
        name = ent.refers_to or ent.text
        if ent.refers_to is None:
            name = _extend_org_back(text, ent.start, name, orgs_ending)
        return name
    # the title shares its first character with the organisation's last (外交部长: 外交部 + 部长)
    ent = orgs_ending.get(end + 1)
    if ent is not None and ent.refers_to is None and ent.type == "org" and ent.end - ent.start > 2 \
            and text[end:end + 1] in _SHARED_TAIL:
        return _extend_org_back(text, ent.start, ent.text, orgs_ending)
    # a unit printed after the organisation or place the tagger found (某部某司, 某地某会议)
    for k in range(2, 7):
        ent = orgs_ending.get(end - k)
        if ent is None or ent.refers_to is not None:
            continue
        unit = text[end - k:end]
        if re.fullmatch(r"[\u4e00-\u9fff]+", unit) and unit.endswith(_UNIT_TAILS) and unit not in _UNIT_TAILS:
            return _extend_org_back(text, ent.start, ent.text, orgs_ending) + unit
        break
    m = _ORG_STEM.search(text[max(0, end - 12):end])
    return m.group() if m else None


# last characters of an organisation that a title may share (外交部长, 国防部长)
_SHARED_TAIL = "部"
# units under a body: 某部某司, 某会议
_UNIT_TAILS = ("司", "局", "处", "室", "厅", "会议", "委员会", "协会", "学会", "研究会", "中心", "办公室")


def _extend_org_back(text: str, start: int, name: str, orgs_ending) -> str:
    """An organisation the tagger cut short: a mission (``某国驻某地``: the sending state before 驻),
    or a name joined by 和 (``国家某和某委员会``: the part before 和 up to the previous mark)."""
    if text[start - 1:start] == "驻":
        ent = orgs_ending.get(start - 1)
        if ent is not None and ent.refers_to is None:
            return ent.text + "驻" + name
        return "驻" + name
    if text[start - 1:start] == "和":
        m = re.search(r"(?:^|[、，,。；;：:\s（(“])([\u4e00-\u9fff]{2,8})和$", text[max(0, start - 12):start])
        if m and not _TITLE_BEFORE.search(m.group(1)):
            return m.group(1) + "和" + name
    return name


def _post_before(text, before: str, name_start: int, orgs_ending) -> tuple[str, str | None] | None:
    if before.endswith(("”", "’")) and _TITLE_BEFORE.search(before[:-1]):
        # a post in quotes: “第一书记”张海全
        m = _TITLE_BEFORE.search(before[:-1])
        return m.group(), None
    m = _TITLE_BEFORE.search(before)
    if not m:
        return None
    title = m.group()
    org_end = name_start - len(title)
    org = _org_before(text, org_end, orgs_ending)
    if org is None and org_end > 0 and text[org_end - 1] == "、" and _heads_unit(title):
        # a chain of posts in one organisation: 县教育局党组书记、局长X -> 县教育局
        prev = _TITLE_BEFORE.search(text[max(0, org_end - 13):org_end - 1])
        if prev:
            for end in range(org_end - 1 - len(prev.group()), org_end - 1):
                if end in orgs_ending:
                    org = _org_before(text, end, orgs_ending)
                    org = org[:-2] if org.endswith(("党组", "党委")) and len(org) > 3 else org
                    if org.endswith("委") and title.endswith(("市长", "县长", "区长", "省长", "州长", "镇长", "乡长")):
                        org = None  # 市委副书记、市长X: the mayor is not a post of the party committee
                    break
    return title, org


_CHAIN_SEP = ("、", "兼")


def _chain_before(text: str, end: int, floor: int, orgs_ending) -> list[tuple[str, str | None]]:
    """Earlier posts of a chain ending at ``end`` (``中共中央政治局委员、中央办公厅主任X``: the
    委员 before the 、), first to last; each with the organisation printed before it."""
    posts: list[tuple[str, str | None]] = []
    while end - 1 > floor and text[end - 1] in _CHAIN_SEP:
        window = text[max(floor, end - 1 - 24):end - 1]
        m = _TITLE_BEFORE.search(window)
        if not m:
            break
        title_start = end - 1 - len(m.group())
        org = _org_before(text, title_start, orgs_ending)
        if org is None and title_start > floor and "\u4e00" <= text[title_start - 1] <= "\u9fff" \
                and not m.group().startswith(("副", "常务副", "执行")):
            # 局长 in 局长、: fine; 员 of 党员、: not a post unless the title stands on its own
            if text[title_start - 1] not in "省市县区州镇乡村委会部局厅院":
                break
        posts.insert(0, (m.group(), org))
        end = title_start - len(org or "") if org and text[title_start - len(org):title_start] == org else title_start
    return posts


def _heads_unit(title: str) -> bool:
    """Posts that head the unit named earlier in a chain (局长, 主任), unlike 国家主席."""
    return title.endswith(("长", "主任", "经理", "主编", "总监")) and not title.startswith("国家")


def _post_after(text: str, ent: Entity, orgs_ending) -> tuple[str, str | None] | None:
    m = _TITLE_AFTER.search(text[ent.end:ent.end + 8])
    if not m:
        return None
    title = m.group()
    nxt = text[ent.end + len(title):ent.end + len(title) + 1]
    if nxt and ("\u4e00" <= nxt <= "\u9fff") and nxt in "会室部处局厅":  # 张三主任委员会? no: a new noun
        return None
    return title, _org_before(text, ent.start, orgs_ending)
