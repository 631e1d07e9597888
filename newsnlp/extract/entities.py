"""Person, place and organisation names with character offsets.

A character CRF trained on MSRA NER (``newsnlp/data/ner-msra.crf.gz``, see
``benchmarks/train_ner.py``) finds the names.  Rules then (1) build the long
government names the model splits or misses (``X市城乡一体化示范区住房保障局``:
an administrative unit or local place, a body, an organisation suffix), (2) add
``社区``/``街道``/``路`` to the place before them, (3) take names right after a post
(``副主任X说``), (4) drop "people" that are titles of works or prizes, (5) split
name lists (known names, common surnames, list numbers ①②), join ``X—Y协会`` and
transliterated names the model cut in two, (6) report a surname with a form of address
(``老张``, ``侯老``, ``谢书记``) as the person, as MSRA does, (7) add names MSRA train
nearly always tags as persons where the model found nothing (``ner-train-names.txt``),
and (8) resolve anaphora (``该局`` -> the last organisation ending in 局, ``该区`` -> the
last place ending in 区), reported with ``refers_to``.
"""
from __future__ import annotations

import re
from functools import lru_cache

from newsnlp.errors import ModelError
from newsnlp.extract import ner_features
from newsnlp.extract.ner_features import bio_spans
from newsnlp.extract.officials import BASE_TITLES
from newsnlp.model import Entity

MODEL_PATH = ner_features.DATA_DIR / "ner-msra.crf.gz"
_TYPES = {"PER": "person", "LOC": "place", "ORG": "org"}

# Sentences are tagged one at a time: short sequences, and a bad guess in one
# sentence cannot run into the next.
_CHUNK = re.compile(r"[^。！？!?\n]+[。！？!?]*|[。！？!?]+")
_CLAUSE = re.compile(r"[，、；：,;:]+(?=.)")

# --- organisation rules -------------------------------------------------------
# Suffixes that end an organisation name (longest match wins: 管委会 over 会).
# Single characters that also end common words (部门, 干部, 签署, 新办) are left
# out; so is 政府, which MSRA and most readers treat as the place (中国政府).
ORG_SUFFIXES = sorted(
    """委员会 管委会 工委 党工委 党委 纪委 监委 纪工委 监察工委 人民政府 办事处 办公室 居委会 村委会
    人大常委会 政协 法院 检察院 公安局 分局 局 中心 学校 小学 中学 初级中学 高级中学 大学 学院 幼儿园 医院 卫生院 研究院
    研究所 公司 集团 合作社 银行 支行 分行 协会 学会 商会 联合会 基金会 促进会 工会 妇联 团委 科协 文联 残联
    派出所 供电所 司法所 税务所 大队 支队 中队 服务队 志愿队 代表队 合唱团 艺术团 剧团 俱乐部 图书馆 博物馆
    纪念馆 文化馆 财政厅 教育厅 公安厅 卫生厅""".split(),
    key=len, reverse=True,
)
# A place the model found that ends like this is an organisation (红星幼儿园);
# museums and centres stay places, as venues (MSRA: 军事博物馆, 会展中心).
_ORG_ENDS = ("学校", "小学", "中学", "大学", "学院", "幼儿园", "医院", "卫生院", "公司", "集团", "合作社", "银行")
_SUFFIX = re.compile("|".join(map(re.escape, ORG_SUFFIXES)))
# Characters after a suffix that make it part of a longer word (局长, 局面, 中心城区).
_NOT_AFTER = {"局": "长面势部", "中心": "城区点线组", "大学": "生", "中学": "生", "小学": "生", "学院": "派"}
# Place names a government name may start with end in one of these (洛阳市, 红星街道);
# countries and bare city names do not open one (美国政府, 莫斯科签署).
_ADMIN_END = ("省", "市", "县", "区", "州", "盟", "旗", "乡", "镇", "村", "街道", "社区", "路", "街", "大道")
# Administrative units that open a government name on their own (市财政局, 区管委会).
_ADMIN_ONE = "省市县区乡镇村"
_ADMIN_WORDS = ("示范区", "开发区", "高新区", "经开区", "新区", "自治区", "自治州", "街道")
_OPENER = re.compile("|".join(_ADMIN_WORDS) + f"|[{_ADMIN_ONE}]")
# Places end with these (社区 and 街道 are places in newspaper usage: 幸福社区).
PLACE_SUFFIXES = ("社区", "街道", "村", "镇", "乡", "路", "大道", "大街")
# Characters that cannot be inside a name: function words, numerals and punctuation.
_STOP = set("的了在是把将被与及或等以为对从向到由于也都还又并而且但这那各每该此我你他她它们说称讲已再很均"
            "0123456789，。、；：！？“”‘’（）《》〈〉—…·\"'()[]<>- \n")
# Words in a candidate body that mean it is a clause, not a name.
_VERBS = re.compile(
    "开展|召开|举行|举办|组织|推进|实施|加强|进行|深入|落实|成立|了解|表示|认为|指出|强调|通过|按照|根据|围绕|"
    "全面|积极|持续|不断|要求|检查|参加|出席|走进|来到|前往|深化|开启|启动|完成|印发|发布|部署|推动|召集|坚持|"
    "做好|做到|确保|督导|调研|慰问|看望|视察|考察|观摩|陪同|主持|带领|联合|协调|负责|分管|获得|荣获|成为|担任|"
    "签署|投资|会同|尊重|今年|去年|明年|目前|近日|日前|新建|新增|建成|投入|计划|支持|帮助|直至|认真|贯彻|设立|已经|正在|将要|可以|能够|应当|没有|只有|所有|其他|其中|以及|对于|为了|一个|一名|牵头|主办|承办|协办|方面|干部|群众|居民|学生|教师|家长"
)
# Suffixes a bare administrative unit takes to make a name (区管委会, 县纪委), unlike 乡中学.
_GOV_SUFFIXES = ("管委会", "党工委", "党委", "工委", "纪委", "监委", "纪工委", "监察工委", "人民政府", "政协",
                 "人大常委会", "委员会", "法院", "检察院", "公安局", "妇联", "团委", "科协", "文联", "残联")
# A name that fills a pair of title marks or quotes is a title, not a person (《沁园春·雪》).
_QUOTED = re.compile(r"《([^》\n]{1,40})》|“([^”\n]{1,12})”")
# A "name" followed by one of these names a prize, product or event (“某某杯”).
_NOT_PERSON_AFTER = set("杯奖号牌式体")

# --- anaphora ------------------------------------------------------------------
# 该X -> (entity type, suffixes the antecedent must end with; () = any organisation)
ANAPHORA: dict[str, tuple[str, tuple[str, ...]]] = {
    "该局": ("org", ("局",)),
    "该委": ("org", ("委", "委员会", "工委")),
    "该厅": ("org", ("厅",)),
    "该部": ("org", ("部",)),
    "该办": ("org", ("办", "办公室", "办事处")),
    "该院": ("org", ("院",)),
    "该所": ("org", ("所",)),
    "该校": ("org", ("校", "学校", "小学", "中学", "大学", "学院", "幼儿园")),
    "该园": ("org", ("幼儿园", "园")),
    "该公司": ("org", ("公司",)),
    "该集团": ("org", ("集团",)),
    "该行": ("org", ("行",)),
    "该中心": ("org", ("中心",)),
    "该站": ("org", ("站",)),
    "该队": ("org", ("队",)),
    "该协会": ("org", ("协会",)),
    "该合作社": ("org", ("合作社",)),
    "该单位": ("org", ()),
    "该部门": ("org", ()),
    "该机构": ("org", ()),
    "该组织": ("org", ()),
    "该区": ("place", ("区",)),
    "该市": ("place", ("市",)),
    "该县": ("place", ("县",)),
    "该省": ("place", ("省",)),
    "该镇": ("place", ("镇",)),
    "该乡": ("place", ("乡",)),
    "该村": ("place", ("村",)),
    "该社区": ("place", ("社区",)),
    "该街道": ("place", ("街道",)),
}
_ANAPHORA_RE = re.compile("|".join(sorted(map(re.escape, ANAPHORA), key=len, reverse=True)))


@lru_cache(maxsize=1)
def _model():
    from newsnlp.extract.ner_crf import CRF

    if not MODEL_PATH.is_file():
        raise ModelError(f"NER model missing: {MODEL_PATH} (train it with benchmarks/train_ner.py)")
    try:
        model = CRF.load(MODEL_PATH)
        return model, ner_features.Tables(model.attributes)
    except (OSError, ValueError, IndexError) as exc:
        raise ModelError(f"cannot read NER model {MODEL_PATH}: {exc}") from None


def model_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, PER|LOC|ORG) spans the CRF model alone finds in ``text``.

    Features are computed sentence by sentence, as in training; the Viterbi then
    decodes each clause (split after ，、；：, where the label is O anyway) on its
    own, so all clauses of a text advance together in one numpy step per character.
    """
    return model_spans_many([text])[0]


def model_spans_many(texts: list[str]) -> list[list[tuple[int, int, str]]]:
    """:func:`model_spans` of several texts with one feature pass and one Viterbi for them all
    (one-sentence texts would otherwise pay the per-call numpy set-up each)."""
    per_text = [[m for m in _CHUNK.finditer(text) if m.group().strip()] for text in texts]
    all_chunks = [m for chunks in per_text for m in chunks]
    if not all_chunks:
        return [[] for _ in texts]
    model, tables = _model()
    rows = ner_features.rows_of_sentences([m.group() for m in all_chunks], tables)
    offsets: list[int] = []  # offset in its own text of each tagged character
    bounds: list[tuple[int, int]] = []
    sentence_starts = set()
    for m in all_chunks:
        start = len(offsets)
        sentence_starts.add(start)
        offsets.extend(range(m.start(), m.end()))
        for cut in _CLAUSE.finditer(m.group()):
            bounds.append((start, len(offsets) - len(m.group()) + cut.end()))
            start = bounds[-1][1]
        bounds.append((start, len(offsets)))
    emit = model.emissions_from_rows(rows)
    # a clause after a cut follows a punctuation mark labelled O: keep that transition
    cuts = [s for s, _ in bounds if s and s not in sentence_starts]
    emit[cuts] += model.trans[model.labels.index("O")]
    labels = model.viterbi(emit, bounds)
    names = model.labels
    tags = [names[j] for j in labels]
    out: list[list[tuple[int, int, str]]] = []
    s = 0
    for text, chunks in zip(texts, per_text):
        spans: list[tuple[int, int, str]] = []
        for m in chunks:
            e = s + m.end() - m.start()
            for a, b, k in bio_spans(tags[s:e]):
                a, b = _trim(text, offsets[s] + a, offsets[s] + b)
                if b > a:
                    spans.extend(_split_at_enumerators(text, a, b, k))
            s = e
        out.append(spans)
    return out


_ENUMERATORS = re.compile("[①②③④⑤⑥⑦⑧⑨⑩⑴⑵⑶⑷⑸⑹⑺⑻⑼⑽]")


def _split_at_enumerators(text: str, a: int, b: int, kind: str) -> list[tuple[int, int, str]]:
    """A name run across list numbers (霍华德②基廷③博尔格) split into its items; an
    item that is a known name takes that name's type (意大利②法国 -> places)."""
    if not _ENUMERATORS.search(text, a, b):
        return [(a, b, kind)]
    words, _ = ner_features.lexicon()
    out, start = [], a
    for m in [*_ENUMERATORS.finditer(text, a, b), None]:
        end = m.start() if m else b
        if end - start >= 2:
            out.append((start, end, words.get(ner_features.normalise(text[start:end]), kind)))
        start = m.end() if m else b
    return out


# Marks a name never starts or ends with; a bracket stays when its partner is inside
# the name (《星报》编辑部).  The model sometimes runs a name into the mark after it
# because each clause is decoded with its closing punctuation (主席团，).
_EDGE_MARKS = set("，。、；：！？,.;:!?“”‘’\"'（）()《》〈〉【】[]")
_PAIRS = {"“": "”", "‘": "’", "（": "）", "(": ")", "《": "》", "〈": "〉", "【": "】", "[": "]"}
_PAIRS_BACK = {v: k for k, v in _PAIRS.items()}


def _trim(text: str, a: int, b: int) -> tuple[int, int]:
    """Shrink ``text[a:b]`` past spaces and unpaired punctuation at either edge."""
    while a < b:
        ch = text[a]
        if ch.isspace() or (ch in _EDGE_MARKS and _PAIRS.get(ch, "\0") not in text[a + 1:b]):
            a += 1
        else:
            break
    while b > a:
        ch = text[b - 1]
        if ch.isspace() or (ch in _EDGE_MARKS and _PAIRS_BACK.get(ch, "\0") not in text[a:b - 1]):
            b -= 1
        else:
            break
    return a, b


def _clean_body(text: str) -> bool:
    return not any(c in _STOP for c in text) and not _VERBS.search(text)


def _grow_orgs(text: str, spans: list[tuple[int, int, str]]) -> list[tuple[int, int, str]]:
    """Join what the model split and add government names it missed."""
    spans = sorted(spans)
    # 1. Two organisation pieces side by side: 示范区纪委 + 监察工委.
    merged: list[list] = []
    for s, e, k in spans:
        if merged and merged[-1][1] == s and k == "ORG" and merged[-1][2] == "ORG" \
                and text[s - 1] not in _STOP:
            merged[-1][1] = e
        else:
            merged.append([s, e, k])
    # 2. Places with a place suffix right after them: 王庄 + 社区.
    for x in merged:
        if x[2] in ("LOC", "PER") and not text[x[0]:x[1]].endswith(_ADMIN_END):
            for suffix in PLACE_SUFFIXES:
                if text.startswith(suffix, x[1]) and not any(y[0] == x[1] for y in merged):
                    x[1], x[2] = x[1] + len(suffix), "LOC"
                    break
    # 3. A "place" ending as organisations do is one (红星幼儿园).
    for x in merged:
        if x[2] == "LOC" and text[x[0]:x[1]].endswith(_ORG_ENDS):
            x[2] = "ORG"
    # 4. Government names: an administrative unit (市, 示范区) at the start of a
    #    name, or a local place name the model found, + a body + an org suffix.
    starts = [m.start() for m in _OPENER.finditer(text) if m.start() == 0 or _opens_name(text, m.start())]
    org_starts = {s for s, e, k in merged if k == "ORG"}
    # (a place followed by an organisation stays two names, as in MSRA: 北京市 + 海淀区人民法院)
    place_starts = {s for s, e, k in merged
                    if k == "LOC" and text[s:e].endswith(_ADMIN_END) and e not in org_starts}
    for start in sorted(set(starts) | place_starts):
        c = _longest_org(text, start)
        if not c:
            continue
        s, e = c
        if start in place_starts and _places_then_org(merged, s, e):
            continue  # the model found places, then the organisation (湖南省 + 湘西州 + 永顺县公安局)
        if any(ms < s < me or ms < e < me for ms, me, mk in merged if mk == "PER"):
            continue
        if any(ms <= s and e <= me and mk == "ORG" for ms, me, mk in merged):
            continue
        merged = [x for x in merged if x[1] <= s or x[0] >= e] + [[s, e, "ORG"]]
    # 5. A name right after a post that the model missed (副主任某某说).
    merged.extend(_names_after_titles(text, merged))
    # 5b. A verb the model ran into a name: 市长李明作报告 -> 李明.
    for x in merged:
        if x[2] == "PER" and x[1] - x[0] == 3 and text[x[1] - 1] in _NOT_NAME_END \
                and x[1] < len(text) and "\u4e00" <= text[x[1]] <= "\u9fff":
            x[1] -= 1
    # 5c. A surname alone, addressed (老张, 侯老, 谢书记, 初某), is the person's name.
    merged = _addressed_surnames(text, merged)
    # 6. Names between two names of a list that the model skipped (张三刀爱民（傣族）李四).
    merged.extend(_names_between_names(text, merged))
    # 7. Nested places are separate names (中华人民共和国 + 香港特别行政区, 河南省 + 洛阳市).
    merged = [piece for x in merged for piece in _split_nested_place(text, x)]
    # 8. Lists of names printed without separators (丁关根刀爱民于永波): split them.
    merged = [piece for x in merged for piece in _split_name_list(text, x)]
    # 8c. A transliterated name the model cut in two (罗季奥 + 诺夫): one name.
    merged = _join_foreign_pieces(text, merged)
    # 8a. 两岸 for the two sides of the Taiwan Strait is a place (两岸关系), unlike river banks (长江两岸).
    taken = [(a, b) for a, b, _ in merged]
    for m in _CROSS_STRAIT.finditer(text):
        if not any(a < m.end() and m.start() < b for a, b in taken):
            merged.append([m.start(), m.end(), "LOC"])
    # 8b. Two places joined by a dash open one organisation (中国—东盟博览会, 印度—中国友好协会).
    merged = _join_dashed_orgs(text, merged)
    # 9. Titles and labels the model read as people: 《沁园春·雪》, “某某杯”.
    titles = {(m.start() + 1, m.end() - 1) for m in _QUOTED.finditer(text)}
    merged = [x for x in merged if not (x[2] == "PER" and (
        (x[0], x[1]) in titles or (x[1] < len(text) and text[x[1]] in _NOT_PERSON_AFTER)))]
    # 10. A name MSRA train nearly always tags as a person, wherever nothing else was found
    #     (also as a title: 《周恩来》).
    merged.extend(_memorised_names(text, merged))
    # 11. A two-character name whose surname the model left out at the start of a list item
    #     (、丁薛祥、 tagged as 薛祥) takes it back.
    merged = [_surname_back(text, x, merged) for x in merged]
    merged = _drop_absorbed_surnames(merged)
    return sorted((s, e, k) for s, e, k in merged)


# A name that opens a doctrine or a style (马克思主义, 毛泽东思想, 秋瑾式的) stays a person entity,
# as MSRA tags it, but is no mention of the person in :func:`person_names`.
_DOCTRINE = re.compile(r"(?:主义|思想|理论|式的|(?:新时代中国特色社会主义|强军|外交|经济|生态文明|法治)思想)")
_ITEM_START = set("、，,；;：:（(\n“")


def _drop_absorbed_surnames(spans) -> list:
    """One-character person spans that a name now covers (丁 of 丁薛祥)."""
    return [x for x in spans if not (x[2] == "PER" and x[1] - x[0] == 1
                                     and any(y is not x and y[0] < x[1] <= y[1] for y in spans))]


def _surname_back(text: str, span: list, spans) -> list:
    s, e, kind = span
    if kind != "PER" or e - s != 2 or s == 0 or text[s - 1] not in _COMMON_SURNAMES:
        return span
    if s > 1 and text[s - 2] not in _ITEM_START:
        return span
    if ner_features.is_word(text[s - 1:s + 1]):
        return span
    if any(b == s and not (k == "PER" and b - a == 1) for a, b, k in spans):
        return span  # (a one-character "person" before it is the surname itself: 丁 + 薛祥)
    return [s - 1, e, kind]


def _foreign_looking(name: str) -> bool:
    return "·" in name or any(c in _TRANSLITERATION for c in name)


def _join_foreign_pieces(text: str, spans) -> list[list]:
    """Adjacent person spans that both look transliterated and whose second part does
    not open a Chinese name are one foreign name."""
    out: list[list] = []
    for x in sorted([list(x) for x in spans]):
        if out and x[2] == out[-1][2] == "PER" and out[-1][1] == x[0]:
            first, second = text[out[-1][0]:out[-1][1]], text[x[0]:x[1]]
            if _foreign_looking(first) and (
                sum(c in _TRANSLITERATION for c in second) >= 2
                or (_foreign_looking(second) and second[0] not in _SURNAMES)
            ):
                out[-1] = [out[-1][0], x[1], "PER"]
                continue
        out.append(x)
    return out


_CROSS_STRAIT = re.compile(
    r"(?<![江河海洋湖水峡岸溪])两岸(?=关系|同胞|之间|间|的|分歧|都|人民|经贸|交流|统一|对话|谈判|敌对|政治|双方|中国人|青年|企业)")
_DASHES = re.compile(r"[—－-]{1,2}")


def _join_dashed_orgs(text: str, spans) -> list[list]:
    """A place, a dash and an organisation are one organisation name (圭亚那—中国友好协会)."""
    spans = sorted([list(x) for x in spans])
    out: list[list] = []
    for x in spans:
        if out and x[2] == "ORG" and out[-1][2] == "LOC" and _DASHES.fullmatch(text, out[-1][1], x[0]):
            out[-1] = [out[-1][0], x[1], "ORG"]
            # a place before that place and a dash too (中国—日本—韩国 + 合作委员会)
            while len(out) >= 2 and out[-2][2] == "LOC" and _DASHES.fullmatch(text, out[-2][1], out[-1][0]):
                out[-2:] = [[out[-2][0], out[-1][1], "ORG"]]
            continue
        out.append(x)
    return out


_NOTE = re.compile(r"^（[^（）]{1,8}）|（[^（）]{1,8}）$")


def _names_between_names(text: str, spans) -> list[list]:
    """In a run of person names, 2-6 unlabelled Han characters between two of them
    (around a note such as （女）) that read as one or two names of their own."""
    people = sorted(x for x in spans if x[2] == "PER")
    found = []
    surnames = ner_features.surnames(min_count=2)
    for (_, e1, _), (s2, _, _) in zip(people, people[1:]):
        gap = text[e1:s2]
        if not 2 <= len(gap) <= 24:
            continue
        start, core = e1, gap
        m = _NOTE.match(core)
        if m:
            start, core = start + m.end(), core[m.end():]
        m = _NOTE.search(core)
        if m and m.end() == len(core):
            core = core[:m.start()]
        if not 2 <= len(core) <= 12 or not all("\u4e00" <= c <= "\u9fff" for c in core):
            continue
        if core[0] not in surnames or core[0] in _NOT_NAME_START or ner_features.is_word(core):
            continue
        if any(start < b and a < start + len(core) for a, b, _ in spans):
            continue  # another name lies in between (科尔和意大利总理普罗迪)
        span = [start, start + len(core), "PER"]
        pieces = _split_name_list(text, span) if len(core) >= 4 else [span]
        if len(core) >= 4 and len(pieces) < 2:
            continue
        found.extend(pieces)
    return found


_LEVEL = re.compile(r"(?:中华人民共和国|自治区|自治州|特别行政区|[国省市州县])")
_PLACE_END = ("省", "市", "县", "区", "州", "盟", "旗", "特别行政区", "镇", "乡")


def _split_nested_place(text: str, span: list) -> list[list]:
    """Split a place at each administrative level: 中华人民共和国香港特别行政区 -> two places."""
    s, e, kind = span
    if kind != "LOC" or e - s < 5:
        return [span]
    name = text[s:e]
    for m in _LEVEL.finditer(name):
        cut = m.end()
        rest = name[cut:]
        if cut >= 2 and len(rest) >= 2 and rest.endswith(_PLACE_END) and not rest.startswith(("区", "县", "市")):
            return [[s, s + cut, "LOC"]] + _split_nested_place(text, [s + cut, e, "LOC"])
    return [span]


def _split_name_list(text: str, span: list) -> list[list]:
    """A person span of 5+ Han characters (or 4 made of two known names) split into
    2-3 character names that each start with a surname; known names preferred.
    Names with ``·`` or a transliteration character stay whole (谢瓦尔德纳泽): on People's
    Daily 1998 (dev days) splitting them, or letting a known name start without a
    surname, lost more names than it found."""
    s, e, kind = span
    name = text[s:e]
    if kind != "PER" or len(name) < 4 or len(name) > 24 or not all("\u4e00" <= c <= "\u9fff" for c in name):
        return [span]
    foreign = any(c in _TRANSLITERATION for c in name)  # 克瓦希涅夫斯基: one foreign name
    words, _ = ner_features.lexicon()
    surnames = ner_features.surnames(min_count=2) | _SURNAMES
    n = len(name)
    # best[i] = (known names, -pieces, cuts) for name[:i]
    best: list[tuple | None] = [None] * (n + 1)
    best[0] = (0, 0, [])
    for i in range(n):
        if best[i] is None or name[i] not in surnames:
            continue
        for size in (2, 3, 4):
            j = i + size
            if j > n:
                break
            known = words.get(name[i:j]) == "PER"
            if size == 4 and not known:
                continue
            cand = (best[i][0] + known, best[i][1] - 1, best[i][2] + [j])
            if best[j] is None or cand[:2] > best[j][:2]:
                best[j] = cand
    result = best[n]
    if result is None or len(result[2]) < 2:
        return [span]
    if n == 4 and result[0] < 2 and not (
        name[0] in _COMMON_SURNAMES and name[2] in _COMMON_SURNAMES and name[:2] not in _COMPOUND_SURNAMES
    ):
        return [span]
    if result[0] * 2 < len(result[2]):  # mostly unknown pieces: split only Chinese-looking runs
        common = ner_features.surnames(min_count=20)
        starts = [0] + result[2][:-1]
        if foreign or (n < 6 and not all(name[i] in common for i in starts)):
            return [span]
    out, start = [], s
    for cut in result[2]:
        out.append([start, s + cut, "PER"])
        start = s + cut
    return out


# Four characters that start with two of these read as two names (李灏杨凤, 王克王涛).
_COMMON_SURNAMES = set("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤")
# Single-character surnames of the Hundred Family Surnames (百家姓) that name lists use.
_SURNAMES = ner_features.LISTED_SURNAMES
_COMPOUND_SURNAMES = {"欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "尉迟", "公孙", "慕容", "长孙", "宇文", "司徒",
                      "夏侯", "令狐", "端木", "轩辕", "澹台", "西门", "南宫", "独孤", "呼延", "万俟", "闻人", "申屠"}
_NOT_NAME_START = set("和与及同在对向等是为将把被从一二三四五六七八九十两")
_NOT_IN_NAME = set("了曾已也又还就都的着过")
_AFTER_NAME = {"指出", "表示", "强调", "认为", "介绍", "要求", "希望", "亲自", "一行", "同志", "等人", "说"}
# Verbs and prepositions that follow a name and rarely end a three-character one.
_NOT_NAME_END = set("作在对把被将说称等到是")
# Characters common in transliterated foreign names and rare in Chinese given names.
_TRANSLITERATION = set("斯夫尔科维娃诺基卡普姆兹娅埃奥塔茨耶丝莉妮蒂")


@lru_cache(maxsize=1)
def _title_name_re():
    from newsnlp.extract.officials import TITLE_PATTERN

    return re.compile(
        rf"(?:{TITLE_PATTERN})([\u4e00-\u9fff]{{2,3}}?)"
        r"(?=[，。、；：,;:（(\n]|说|表示|指出|介绍|强调|认为|出席|主持|讲话|致辞|带队|一行|同志|等|和|与|在|对|到|参加|陪同|宣布)"
    )


def _names_after_titles(text: str, spans) -> list[list]:
    """Person names the model missed in ``<post><surname + 1-2 chars><说|，|出席...>``."""
    found = []
    surnames = ner_features.surnames()
    for m in _title_name_re().finditer(text):
        s, e = m.span(1)
        name = m.group(1)
        if name[0] not in surnames or name[0] in _NOT_NAME_START or ner_features.is_word(name):
            continue
        if any(c in _NOT_IN_NAME for c in name[1:]) or name[1:] in _AFTER_NAME:
            continue  # 委员长曾指出, 委员三年了
        if any(a < e and s < b for a, b, _ in spans):
            continue
        found.append([s, e, "PER"])
    return found


# Forms of address around a bare surname: 老张, 小王 before; 侯老, 朱总, 初某, 刘家, 马叔,
# 谢书记 after.  (MSRA tags the surname alone as the person; People's Daily does so before
# titles, 李女士, but keeps 老邱, 小王, 侯老 whole.)
_ADDRESS_BEFORE = "老小"
_ADDRESS_AFTER = sorted(
    {"老", "总", "某", "氏", "家", "叔", "婶", "伯", "姨", "嫂", "哥", "姐", "爷", "师傅", "大爷", "大妈", "大娘",
     "阿姨", "大姐", "大哥", "大嫂", "先生", "女士", "小姐", "同志", "老师", "教授", "医生", "大夫", "主任", "书记",
     "常委", *BASE_TITLES},
    key=len, reverse=True)
_ADDRESS_AFTER_RE = re.compile("|".join(map(re.escape, _ADDRESS_AFTER)))
# A character is taken for a surname when at least this share of its uses in MSRA train are
# surnames (ner-names.txt): 张 0.40, 傅 0.62, but 高 0.02, 时 0.00, 米 0.04 (小米, 小时 stay words).
ADDRESS_SURNAME_SHARE = 0.1
# ... and at least this share when the form is itself a word (小钱, 老翁, 小桥, 老马识途), unlike 老王.
ADDRESS_WORD_SURNAME_SHARE = 0.3


@lru_cache(maxsize=4)
def _surnames_by_share(share: float) -> frozenset[str]:
    """Characters that are surnames in at least ``share`` of their MSRA train uses (seen 3+ times)."""
    return frozenset(ch for ch, (surname, _, total) in ner_features.name_table().items()
                     if surname >= 3 and surname >= share * total)


def _is_surname(ch: str, share: float = ADDRESS_SURNAME_SHARE) -> bool:
    return ch in _surnames_by_share(share)


def _addressed_surnames(text: str, spans) -> list[list]:
    """A surname with a form of address (老张, 侯老, 谢书记) is a one-character person name;
    a person span the model made of the whole form (侯老, 朱总) is cut to the surname.
    A form that runs into a word (养老, 老人, 总书记, 某些) is not one."""
    spans = [list(x) for x in spans]
    is_word = ner_features.is_word
    found: list[tuple[int, int, int]] = []  # (surname at, form start, form end)
    surnames = _surnames_by_share(ADDRESS_SURNAME_SHARE)
    for i, ch in enumerate(text):
        if ch not in surnames:
            continue
        nxt = _ADDRESS_AFTER_RE.match(text, i + 1)
        if nxt and not (i and is_word(text[i - 1:i + 1])):
            affix = nxt.group()
            if len(affix) > 1 or not (
                any(is_word(text[i + 1:k]) for k in (i + 3, i + 4) if k <= len(text))
                or (is_word(text[i:i + 2]) and not _is_surname(ch, ADDRESS_WORD_SURNAME_SHARE))
            ):
                found.append((i, i, nxt.end()))
                continue
        if i and text[i - 1] in _ADDRESS_BEFORE and not (i > 1 and is_word(text[i - 2:i])) \
                and not any(is_word(text[i:k]) for k in (i + 2, i + 3) if k <= len(text)) \
                and not (is_word(text[i - 1:i + 1]) and not _is_surname(ch, ADDRESS_WORD_SURNAME_SHARE)):
            found.append((i, i - 1, i + 1))
    for i, a, b in found:
        over = [x for x in spans if x[0] < b and a < x[1]]
        if any(x[2] != "PER" or x[0] < a or x[1] > b for x in over):
            continue  # inside a place or organisation, or a longer name (老张三)
        spans = [x for x in spans if x not in over] + [[i, i + 1, "PER"]]
    return spans


# A name of MSRA train (ner-train-names.txt) is reported wherever it occurs untagged when it
# was tagged at least MEMORISED_MIN_TAGGED times and in at least MEMORISED_SHARE of its
# occurrences there (丁关根 6/6; not 海明 or 建华, which are also words and places).
MEMORISED_MIN_TAGGED = 3
MEMORISED_SHARE = 0.9


@lru_cache(maxsize=1)
def _memorised() -> tuple[frozenset[str], frozenset[str]]:
    """The names reported from MSRA train, and their first two characters."""
    names = frozenset(w for w, (tagged, total) in ner_features.train_names().items()
                      if tagged >= MEMORISED_MIN_TAGGED and tagged >= MEMORISED_SHARE * total)
    return names, frozenset(w[:2] for w in names)


def _memorised_names(text: str, spans) -> list[list]:
    """Untagged occurrences of names MSRA train (almost) always tags as persons (longest first)."""
    names, heads = _memorised()
    text = ner_features.normalise(text)
    found: list[list] = []
    taken = 0
    for i in [i for i in range(len(text) - 1) if text[i:i + 2] in heads]:
        if i < taken:
            continue
        end = next((j for j in range(min(len(text), i + 6), i + 1, -1) if text[i:j] in names), 0)
        if end and not any(a < end and i < b for a, b, _ in spans):
            found.append([i, end, "PER"])
            taken = end
    return found


def _places_then_org(spans, start: int, end: int) -> bool:
    """Do model spans tile [start, end) as places followed by one organisation?"""
    pos = start
    for s, e, k in sorted(x for x in spans if start <= x[0] and x[1] <= end):
        if s != pos:
            return False
        if k == "ORG":
            return e == end
        if k != "LOC":
            return False
        pos = e
    return False


def _opens_name(text: str, i: int) -> bool:
    """May a name start at ``i``: after punctuation, a function word or a non-Han character."""
    prev = text[i - 1]
    return prev in _STOP or not ("\u4e00" <= prev <= "\u9fff") or prev in "从在由向对经据和与及"


def _longest_org(text: str, start: int) -> tuple[int, int] | None:
    """The longest ``start``-anchored organisation name whose body is clean."""
    best = None
    window = text[start:start + 30]
    for m in _SUFFIX.finditer(window):
        end = start + m.end()
        after = _NOT_AFTER.get(m.group())
        if after and end < len(text) and text[end] in after:
            continue
        body = window[:m.start()]
        if not _clean_body(body.replace("和", "")) or ("和" in body and body.split("和")[0].endswith(tuple(ORG_SUFFIXES))):
            break
        if not body or body.endswith("级"):
            continue
        if len(body) == 1 and body in _ADMIN_ONE and m.group() not in _GOV_SUFFIXES:
            continue
        if len(body) == 2 and body[0] in _ADMIN_ONE and m.group() not in _GOV_SUFFIXES:
            continue  # 市中 + 小学
        best = (start, end)
    return best


def entities(text: str, *, userdict: dict[str, str] | None = None) -> list[Entity]:
    """Names of people (``person``), places (``place``) and organisations (``org``).

    Args:
        text: the article text; offsets in the result point into it.
        userdict: extra names always reported, ``{"晨曦合唱团": "org", ...}``.
    Returns:
        Entities in text order.  Anaphora such as 该局 are entities of the type
        meant, with ``refers_to`` set to the full name of the last match before it.
    """
    return entities_many([text], userdict=userdict)[0]


def entities_many(texts: list[str], *, userdict: dict[str, str] | None = None) -> list[list[Entity]]:
    """:func:`entities` of each of ``texts``, the model run once over them all."""
    return [_entities(text, spans, userdict) for text, spans in zip(texts, model_spans_many(texts))]


def _entities(text: str, model_found, userdict: dict[str, str] | None) -> list[Entity]:
    spans = _grow_orgs(text, model_found)
    if userdict:
        spans = _apply_userdict(text, spans, userdict)
    found = _expand_abbreviations(_mentions(text, [Entity(text[s:e], _TYPES[k], s, e) for s, e, k in spans]))
    found.extend(_anaphora(text, found))
    found.sort(key=lambda x: (x.start, x.end))
    return found


# One-character abbreviations of provinces and regions (京津冀, 沪深) and of countries (中日,
# 中美): a one-character place gets its full name in ``refers_to``, so that a researcher
# filtering by place finds 日本 under one name.  Characters that abbreviate both (澳: 澳门 or
# 澳大利亚, 新: 新疆 or 新加坡) take the reading of the abbreviations printed beside them.
REGION_ABBREVIATIONS = dict(x.split(":") for x in """京:北京 津:天津 沪:上海 渝:重庆 冀:河北 晋:山西 辽:辽宁
    吉:吉林 黑:黑龙江 苏:江苏 浙:浙江 皖:安徽 闽:福建 赣:江西 鲁:山东 豫:河南 鄂:湖北 湘:湖南 粤:广东
    琼:海南 川:四川 蜀:四川 黔:贵州 滇:云南 陕:陕西 甘:甘肃 陇:甘肃 青:青海 蒙:内蒙古 桂:广西 藏:西藏
    宁:宁夏 新:新疆 港:香港 澳:澳门 台:台湾 深:深圳 穗:广州 杭:杭州""".split())
COUNTRY_ABBREVIATIONS = dict(x.split(":") for x in """中:中国 美:美国 日:日本 俄:俄罗斯 英:英国 法:法国
    德:德国 韩:韩国 朝:朝鲜 印:印度 越:越南 泰:泰国 菲:菲律宾 意:意大利 加:加拿大 澳:澳大利亚
    新:新加坡 蒙:蒙古 巴:巴基斯坦 欧:欧洲 非:非洲 亚:亚洲""".split())


def is_anaphor(entity: Entity) -> bool:
    """True for 该局 / 该区 and the like (``refers_to`` is then the name meant); an abbreviation
    such as 京 carries its full name in ``refers_to`` too but is a name itself."""
    return entity.text in ANAPHORA


def _expand_abbreviations(found: list[Entity]) -> list[Entity]:
    """``refers_to`` of one-character places: the full name they abbreviate, read as regions or
    as countries by the one-character places next to them (港澳 -> 澳门, 中澳 -> 澳大利亚)."""
    singles = [e for e in found if e.type == "place" and len(e.text) == 1 and e.refers_to is None]
    for e in singles:
        near = [x.text for x in singles if x is not e and abs(x.start - e.start) <= 2]
        region, country = REGION_ABBREVIATIONS.get(e.text), COUNTRY_ABBREVIATIONS.get(e.text)
        if region and country:  # decide by the neighbours: 港澳 / 中澳
            as_region = any(n in REGION_ABBREVIATIONS and n not in COUNTRY_ABBREVIATIONS for n in near)
            as_country = any(n in COUNTRY_ABBREVIATIONS and n not in REGION_ABBREVIATIONS for n in near)
            e.refers_to = region if as_region and not as_country else country if as_country and not as_region else None
        else:
            e.refers_to = region or country
    return found


def _mentions(text: str, found: list[Entity]) -> list[Entity]:
    """No lone surname is reported: a one-character person becomes the printed mention
    with its form of address (老王, 侯老, 谢书记: ``form="address"``) or anonymisation
    (王某, 代某某: ``form="anonymised"``), and is dropped when it has neither."""
    out = []
    for e in found:
        if e.type != "person" or len(e.text) > 1:
            out.append(e)
            continue
        mention = _address_form(text, e.start)
        if mention is not None:
            a, b, form = mention
            out.append(Entity(text[a:b], "person", a, b, form=form))
    return out


def _address_form(text: str, i: int) -> tuple[int, int, str] | None:
    """(start, end, form) of the form of address around the surname at ``i``, or None."""
    after = _ADDRESS_AFTER_RE.match(text, i + 1)
    if after:
        end = after.end()
        if after.group().startswith("某"):
            while end < len(text) and text[end] == "某":
                end += 1
            return i, end, "anonymised"
        return i, end, "address"
    if i and text[i - 1] in _ADDRESS_BEFORE:
        return i - 1, i + 1, "address"
    return None


def name_span(entity: Entity) -> tuple[int, int]:
    """The span of the name proper: for a mention by form of address (老王, 谢书记, 王某) the
    surname alone, as MSRA and People's Daily tag it; for any other entity its own span."""
    if not entity.form:
        return entity.start, entity.end
    at = entity.start + 1 if entity.text[0] in _ADDRESS_BEFORE and len(entity.text) > 1 else entity.start
    return at, at + 1


def _apply_userdict(text: str, spans, userdict: dict[str, str]):
    rev = {v: k for k, v in _TYPES.items()}
    for name, kind in sorted(userdict.items(), key=lambda x: -len(x[0])):
        code = rev.get(kind, kind)
        for m in re.finditer(re.escape(name), text):
            s, e = m.span()
            if any(ss < e and s < ee and not (s <= ss and ee <= e) for ss, ee, _ in spans):
                continue
            spans = [x for x in spans if x[1] <= s or x[0] >= e] + [(s, e, code)]
    return sorted(spans)


def _anaphora(text: str, found: list[Entity]) -> list[Entity]:
    out = []
    for m in _ANAPHORA_RE.finditer(text):
        kind, suffixes = ANAPHORA[m.group()]
        if any(x.start <= m.start() < x.end for x in found):
            continue
        before = [x for x in found if x.end <= m.start() and x.refers_to is None]
        if m.group() in ("该区", "该市", "该县"):
            before = [x for x in before if x.type in ("place", "org")]
        else:
            before = [x for x in before if x.type == kind]
        for x in reversed(before):
            if not suffixes or x.text.endswith(suffixes):
                out.append(Entity(m.group(), kind, m.start(), m.end(), refers_to=x.text))
                break
    return out


# --- credits -----------------------------------------------------------------------
# Bylines and credits name the people who made the article, not people it is about:
# （记者魏董华、段菁菁）, 本报记者  贺  勇, 新华社记者王小明摄, 参与记者：甲、乙, 本版制图：蔡华伟.
# The list after the role word holds only names, separators and layout spaces, and ends at a
# closing bracket, 摄, a line end or the end of the text (本报记者日前采访了… is no credit).
_CREDIT = re.compile(
    r"(?:记者|通讯员|实习生|制图|摄影|摄|撰稿|责任编辑|编辑)[：:\s\u00a0\u3000]*"
    r"([\u4e00-\u9fff·\u00a0\u3000 、]{2,200}?)[\s\u00a0\u3000]*(?=[）)]|摄|\n|$)")


def credit_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of the name lists of bylines and picture credits in ``text``; the persons
    of an article (as the fact gold counts them) are the person names outside these."""
    return [m.span(1) for m in _CREDIT.finditer(text)]


def person_names(text: str, found: list[Entity] | None = None) -> set[str]:
    """The set of person names printed in ``text`` (full names, spaces removed), leaving out
    forms of address (老王, 王某), the names of bylines and credits, and names that open a
    doctrine (马克思主义, 毛泽东思想)."""
    found = entities(text) if found is None else found
    credits = credit_spans(text)
    return {re.sub(r"[\s\u00a0\u3000]", "", e.text) for e in found
            if e.type == "person" and not e.form and e.refers_to is None
            and not any(a <= e.start and e.end <= b for a, b in credits)
            and not _DOCTRINE.match(text, e.end) and not _VILLAGE.search(e.text)}


# a "name" ending in a word for a settlement is a place (戴村, 卓扎滩, 王家寨)
_VILLAGE = re.compile(r"^[\u4e00-\u9fff]{1,3}(?:村|滩|寨|屯)$")
