"""Dates: absolute, partial, relative and festival date expressions, resolved against the publication
date or a year stated in the text.

One regular-expression pass finds date expressions; adjacent ones joined by
至/到/-/— become ranges.  Values are ISO strings at the precision printed:

=========================  =====================  ==========================  ============
text                       value                  end                         granularity
=========================  =====================  ==========================  ============
2023年度, 去年              2023 / 2022                                        year
2021至2022学年              2021                   2022                        school-year
今年7月, 上月               2022-07                                            month
1至9月                      2022-01                2022-09                     month
10月11日, 昨天, 31日晚      2022-10-11                                         day
11月底 / 月初 / 月中        2022-11-30 / -01 / -15                             month-part
上旬 / 中旬 / 下旬          2022-06-01             2022-06-10                  month-part
年底 / 年初                 2022-12-31 / 01-01                                 year-part
三季度                      2022-07                2022-09                     quarter
上半年                      2022-01                2022-06                     half-year
2023年1月1日至12月31日      2023-01-01             2023-12-31                  day
=========================  =====================  ==========================  ============

A date without a year takes the year of the text's context when it has one
(see :class:`_Context`: 1935年5月…。5月19日… is 1935-05-19; 同年10月, 次年, 当年),
else the year that puts it nearest the publication date (a date after it counts
double, so 12月28日 printed on 2022-10-12 is 2022-12-28 but 1月5日 printed on
2022-03-01 is 2022-01-05).  Without a publication date, relative and year-less
dates keep ``value=None``.  ``basis`` says which: ``explicit`` (year printed),
``context``, ``publication`` or ``lunar``.

Festivals and lunar dates are converted with ``lunar_python`` to the Gregorian
day in the year of their context (春节, 除夕, 元宵节, 端午, 中秋, 重阳, 七夕, 腊八节,
正月十五, 腊月二十三, 农历八月十五, 大年初三, 年三十、初四、初五, 大年初一至初六), or the
occurrence nearest the publication date; 清明节 is the solar term; 元旦, 国庆节,
劳动节, 妇女节, 儿童节, 教师节, 建军节 and 圣诞节 are fixed days.  Habitual ones
(每年春节、端午) are not dates.

Also: ``一九九八年``/``零七年八月`` (Chinese numerals), ``元月``, ``2022-10-12``,
``二日``/``三日晚`` (Chinese day only, not 一日), 上年/去年同期 (the year).  Ranges
take the year and month the second end leaves out (12月9日至15日).

Not dates: vague words (近日, 目前, 日前, 近年来), 今年以来 ("so far this year"),
seasons after a relative year (今年春季学期; 1930年秋 is 1930), figurative days
(中国的昨天、今天和明天), weekdays and times on their own,
periodic dates (每年9月), durations (30日内), and numbers that are money or
percentages (6.4亿元 is never June 4).  A time of day after a date is kept in
the text (10月5日晚, 昨天下午3时) but the value stays at day precision.
"""
from __future__ import annotations

import bisect
import calendar
import datetime as dt
import re

from newsnlp.errors import InputError
from newsnlp.extract.numerals import fold_width, inside, parse_chinese
from newsnlp.model import DateMention

_CN_DAY = r"三十一?|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|[一二三四五六七八九]"
_CN_MONTH = r"十[一二]?|[一二三四五六七八九元]"
_CONN = r"(?:至|到|-|——|—|–|~)"

_YEAR = (
    rf"(?:(?<![\d.])(?P<y>(?:1[89]|20)\d{{2}})(?:{_CONN}(?P<y2>(?:1[89]|20)\d{{2}}))?[ \xa0]?"
    r"|(?P<ycn>[〇零一二三四五六七八九]{4})"
    r"|(?<![\d.])(?P<y2d>\d{2})(?=年\d{1,2}月)"
    r"|(?P<y2cn>[〇零一二三四五六七八九]{2})(?=年(?:十[一二]?|[一二三四五六七八九]|1[0-2]|[1-9])月|年[一二三四]季度))"
    r"(?P<ysuf>学年度|学年|年度|年)"
    r"|(?P<yrel>今年度|今年|去年|前年|明年|本年度|上年度|上一年度|上一年|上年(?![纪轻龄画货夜]))"
    # the year of the context: 同年10月, 次年, 当年 (resolved in _contextualise)
    r"|(?P<yctx>(?:(?<=[，。；：！？、“（(\n])|(?<![\s\S]))(?:当年|是年|第二年)(?![龄级代纪轻华少会复])"
    r"|(?:同年|该年)(?![龄级代纪轻华少会复])|(?<![这那每上下本几首多一二两三四五六七八九十])次年(?!终)|翌年|前一年)"
)
_MONTH = (
    rf"(?:(?<!\d)(?P<m>1[0-2]|0?[1-9]|{_CN_MONTH})(?:{_CONN}(?P<m2>1[0-2]|0?[1-9]|{_CN_MONTH}))?月份?"
    r"|(?P<mrel>本月|上月|上个月|下月|下个月))"
)
_DAY = rf"(?P<d>3[01]|[12]\d|0?[1-9]|{_CN_DAY})(?:{_CONN}(?P<d2>3[01]|[12]\d|0?[1-9]))?[日号]"
_TIME_OF_DAY = (
    r"(?P<tod>(?:上午|下午|晚上|早上|凌晨|中午|傍晚|夜间|晚间|早晨|深夜|晚|早|夜)"
    r"(?:\d{1,2}[时点](?:\d{1,2}分|半|许)?|\d{1,2}:\d{2}时?)?|\d{1,2}[时点](?:\d{1,2}分|半|许)?|\d{1,2}:\d{2}时?)?"
)
_LUNAR_DAY = r"初[一二三四五六七八九十]|二十[一二三四五六七八九]?|十[一二三四五六七八九]?|廿[一二三四五六七八九]|三十"
_FESTIVAL = (
    r"(?P<fest>春节|除夕|大?年三十|元宵(?=佳?节)|腊八(?=节)|清明(?=节|假期|小长假|期间|前后|当天)"
    r"|(?:端午|七夕|中秋|重阳)(?=[节期假前后夜晚当之时月佳团赏座联至到、，。；的）)\n]|$)"
    r"|元旦|国庆(?=节|期间|假期|长假|当天|前夕|黄金周|之际)|(?:五一)?劳动节|(?:三八)?妇女节|(?:六一)?儿童节"
    r"|教师节|(?:八一)?建军节|圣诞节)(?:佳?节)?(?![目约能奏点省制])"
    rf"|(?P<lunar>(?:正月|腊月|农历(?:正|冬|腊|十[一二]?|[一二三四五六七八九])月)(?:{_LUNAR_DAY})日?"
    r"|大年初[一二三四五六七八九十]|年初[一二三四五六七八九十](?=[，。、；是的至到和]))"
    r"|(?P<chu>初[一二三四五六七八九十])(?![中级期步次心衷始稿些个批年月日学])"
)
_REST = (
    rf"(?:{_MONTH}(?:{_DAY}|月?(?P<mpart>上旬|中旬|下旬|初|中|底|末))?"
    rf"|{_FESTIVAL}"
    r"|(?P<ypart>年底|年末|年初|底|末|初)"
    r"|(?P<q>第?[一二三四1-4]季度|前[二三两]季度|上半年|下半年))"
)


def _unnamed(pattern: str) -> str:
    return re.sub(r"\(\?P<\w+>", "(?:", pattern)


DATE_RE = re.compile(
    r"(?=[\d〇零一二三四五六七八九十今去前明本上下年第底末初昨元春除端中重腊清国劳妇儿教建圣大正农同当该是次翌])"  # cheap first-character filter
    rf"(?:(?P<iso>(?<![\d.])(?:19|20)\d{{2}})(?P<isosep>[-/.])(?P<isom>1[0-2]|0?[1-9])(?P=isosep)(?P<isod>3[01]|[12]\d|0?[1-9])(?![\d.])"
    # year and/or month-day-part; the lookahead keeps this branch from matching the empty string
    rf"|(?=(?:{_unnamed(_YEAR)})|(?:{_unnamed(_REST)}))(?:{_YEAR})?(?:{_REST})?"
    rf"|(?<![\d.第每近])(?P<dayonly>3[01]|[12]\d|0?[1-9])日(?!内|以内|之内|元)"
    r"|(?<![\d〇零一二三四五六七八九十第每近前这那])(?P<dayonly_cn>[二三]?十[一二三四五六七八九]?|[二三四五六七八九])日(?!之|游|内|以内|制|班|[一二两三])"
    r"|(?<!时至)(?P<drel>今天|今日|昨天|昨日|前天(?!津)|明天(?!然)|今晨|昨晚|今晚|昨夜|今早))"
)
_TOD_RE = re.compile(_TIME_OF_DAY)
_CONN_RE = re.compile(rf"{_CONN}|起至|起到")
_YEAR_OFFSET = {"今年": 0, "今年度": 0, "本年度": 0, "去年": -1, "上年": -1, "上年度": -1, "上一年度": -1, "上一年": -1,
                "前年": -2, "明年": 1}
_MONTH_OFFSET = {"本月": 0, "上月": -1, "上个月": -1, "下月": 1, "下个月": 1}
_DAY_OFFSET = {"今天": 0, "今日": 0, "今晨": 0, "今晚": 0, "今早": 0, "昨天": -1, "昨日": -1, "昨晚": -1,
               "昨夜": -1, "前天": -2, "明天": 1}
_QUARTERS = {"一": 1, "二": 2, "三": 3, "四": 4, "1": 1, "2": 2, "3": 3, "4": 4}
_VAGUE_AFTER = re.compile(r"以来|[春夏秋冬](?!节)|暑假|寒假")
_MONEY_PERCENT = re.compile(r"\d+(?:\.\d+)?[万亿]*(?:余|多)?(?:元|%|美元|欧元)|\d+\.\d+[万亿]")
_BAD_BEFORE = set("每第近")
_YEAR_PART_BEFORE = set("到至于在从自截今去明，。、；：（ \n")
_PART_OK_AFTER = set("，。、；,;前后以） )\n")
_BEGIN_OK_AFTER = set("在起至到开就时的将已即")  # 今年初在…试点, 年初以来: 初 still ends the date
_CLAUSE_START = set("，。；：！？、“（(\n")
_PERIODIC = re.compile(r"每年|每逢|每到|每当|每至|逢年过节")
_LUNAR_NEAR = re.compile(r"大年|年三十|正月|春节|除夕|年初[一二三四五六七八九十]")
_SENTENCE_END = re.compile(r"[。！？!?\n][”’」』）)]?\n*")  # 。” and the paragraph end count once
# the text is back in the present: a dated past event no longer holds for what follows
_PRESENT = re.compile(r"目前|如今|现在|眼下|当前|近日|日前|近期|近年来|时下|至今")
_REPORTER = re.compile(r"记者|本报")


def _sentence_before(text: str, start: int) -> str:
    """The part of the sentence before ``start``."""
    cut = max(text.rfind(c, 0, start) for c in "。！？!?\n")
    return text[cut + 1: start]


def _spans(text: str):
    for m in DATE_RE.finditer(text):
        if m.end() > m.start():
            yield m


def date_spans(text: str) -> list[tuple[int, int]]:
    """Spans of date-like expressions in width-folded ``text`` (for figures to skip)."""
    return [m.span() for m in _spans(text)]


def dates(text: str, *, publication_date: str | None = None) -> list[DateMention]:
    """Find dates in ``text``, resolving partial and relative ones against ``publication_date`` (YYYY-MM-DD).

    >>> [(d.text, d.value) for d in dates("10月11日，今年7月", publication_date="2022-10-12")]
    [('10月11日', '2022-10-11'), ('今年7月', '2022-07')]
    """
    try:
        pub = dt.date.fromisoformat(publication_date) if publication_date else None
    except ValueError:
        raise InputError(f"publication date {publication_date!r} is not YYYY-MM-DD") from None
    folded = fold_width(text)
    blocked = sorted([m.span() for m in _MONEY_PERCENT.finditer(folded)])
    parts: list[dict] = []
    for m in _spans(folded):
        part = _parse(folded, m, blocked)
        if part is not None:
            parts.append(part)
    merged = _merge_ranges(folded, parts)
    context = _Context(folded, pub)
    found = []
    for part in merged:
        ctx, basis, drop = context.before(part)
        if drop:
            continue  # 同年 with no year before it
        value, end, granularity = _resolve(part, pub, ctx)
        if value is None and pub is not None:
            continue  # impossible date (3至2月, 2月30日)
        context.after(part, value, end)
        found.append(DateMention(text=text[part["start"]: part["end"]], value=value, granularity=granularity,
                                 start=part["start"], end_offset=part["end"], end=end,
                                 basis=basis if value is not None else None))
    return found


def _printed_year(part: dict) -> bool:
    return any(part[k] for k in ("y", "ycn", "y2d", "y2cn", "iso"))


def _is_lunar(part: dict) -> bool:
    return bool(part["lunar"] or part["chu"] or part["fest"] and _festival_key(part["fest"]) in _LUNAR_FESTIVALS)


class _Context:
    """The year (and month) a text has stated, for the year-less dates after it.

    * A date with a year in the same sentence gives its year to a date without one
      (1981年6月30日…；同年7月16日), and so does one in the previous sentence when it carries a month
      or leads its clause (2018年，全县…。5月1日… is 2018's).  A bare day takes the month too, in the
      same sentence (1956年7月13日…，14日…) or the next one after a past dated event.  A month
      earlier than a recent context's month is left to the publication date (去年12月…。1月…).
    * A dated event at least two years before publication (1935年5月…, 1942年秋，…) holds for the
      later paragraphs too, until another year is printed, a relative one (今年, 去年) is, or the
      text says it is back in the present (目前, 如今, 现在…); not in a sentence about the reporter
      (10月15日，记者再次…), which is today's.
    * 同年/该年/是年 = the last year stated; 当年 (at a clause start) only with a year in the same
      sentence; 次年/翌年 = the last year + 1, 第二年 likewise but in the same or next sentence;
      上年/前一年 = the year of the same or previous sentence - 1, else the year before publication.
    * Datelines (…2月13日电) are resolved against the publication date; bases of comparison
      (比2015年, 较上年同期) and 今天/昨天 (in a quote, the story's day) set no context.
    """

    def __init__(self, text: str, pub: dt.date | None):
        self.text, self.pub = text, pub
        self.starts = [0] + [m.end() for m in _SENTENCE_END.finditer(text)]
        # year, month, sentence, strong, and whether it holds for the next sentence too
        self.last: tuple[int, int | None, int, bool, bool] | None = None
        self.anchor: tuple[int, int | None, int] | None = None  # a past dated event: year, month, end

    def sentence(self, pos: int) -> int:
        return bisect.bisect_right(self.starts, pos) - 1

    def _dateline(self, part: dict) -> bool:
        return self.text[part["end"]: part["end"] + 1] == "电"

    def before(self, part: dict) -> tuple[tuple[int, int | None] | None, str | None, bool]:
        """(context (year, month) to resolve ``part`` with, basis, drop the mention)."""
        g, pub = part, self.pub
        lunar = "lunar" if _is_lunar(part) else None
        if self._dateline(part) or g["drel"] or g["mrel"]:
            return None, "publication", False
        if _printed_year(part):
            return None, lunar or "explicit", False
        sentence = self.sentence(part["start"])
        last = self.last
        recent = last if last is not None and (last[2] == sentence or last[2] == sentence - 1 and last[4]) else None
        if g["yctx"]:
            word, shift, base = g["yctx"], 0, last
            if word == "当年":
                base = last if last is not None and last[2] == sentence else None
            elif word in ("次年", "翌年"):
                shift = 1
            elif word == "第二年":
                base, shift = recent, 1
            elif word == "前一年":
                base, shift = recent, -1
                if base is None and pub is not None:
                    part["ctx_year"] = pub.year - 1
                    return None, lunar or "publication", False
            if base is None:
                return None, None, True
            part["ctx_year"] = base[0] + shift
            return None, lunar or "context", False
        if g["yrel"]:
            if g["yrel"] in ("上年", "上年度", "上一年", "上一年度") and recent is not None:
                part["ctx_year"] = recent[0] - 1  # 2018年…比上年增长: 2017
                return None, lunar or "context", False
            return None, lunar or "publication", False
        ctx = None
        if recent is not None:
            year, month, where, strong, _ = recent
            if g["dayonly"]:  # 1956年7月13日…。14日…
                ctx = (year, month) if month is not None and (strong or where == sentence) else None
            elif not strong and month is not None and g["m"] and _num(g["m"]) < month:
                ctx = None  # 去年12月…。1月…: later in time, so the publication date decides
            else:
                ctx = (year, None)
        elif self.anchor is not None and not g["dayonly"]:
            year, month, since = self.anchor
            if _PRESENT.search(self.text, since, part["start"]):
                self.anchor = None  # …如今, 目前: back in the present
            elif not _REPORTER.search(self._sentence_text(part["start"])):  # 10月15日，记者再次致电…: now
                ctx = (year, None)
        return ctx, lunar or ("context" if ctx else "publication"), False

    def _sentence_text(self, pos: int) -> str:
        i = self.sentence(pos)
        return self.text[self.starts[i]: self.starts[i + 1] if i + 1 < len(self.starts) else len(self.text)]

    def after(self, part: dict, value: str, end: str | None) -> None:
        """Remember the year (and month) of a resolved mention."""
        if value is None or self._dateline(part) or part["drel"]:
            return  # 今天 in a quote is the story's day, not a year for what follows
        before = self.text[part["start"] - 1] if part["start"] else "\n"
        if before in "比较与同" or self.text.startswith("同期", part["end"]):
            return  # a base of comparison (比2015年增加, 较上年同期), not the time of the story
        last = end if end and len(end) >= len(value) else value
        year, month = int(last[:4]), (int(last[5:7]) if len(last) >= 7 else None)
        printed = _printed_year(part)
        after = self.text[part["end"]: part["end"] + 1]
        year_led = before in _CLAUSE_START and after in ("，", "、", "春", "夏", "秋", "冬")  # 1937年，…
        strong = False
        if printed:
            strong = (self.pub is None or year <= self.pub.year - 2) and (month is not None or year_led)
            self.anchor = (year, month, part["end"]) if strong else None
        elif part["yrel"] or part["mrel"]:
            self.anchor = None  # not 今天: in a quote it is the story's day
        self.last = (year, month, self.sentence(part["start"]), strong, month is not None or year_led)


def _num(s: str | None) -> int | None:
    if s is None:
        return None
    if s == "元":
        return 1  # 元月
    return int(s) if s.isdigit() else int(parse_chinese(s))


def _parse(text: str, m: re.Match, blocked) -> dict | None:
    """Turn one match into its parts, or None when it is not a date here."""
    g = m.groupdict()
    start, end = m.span()
    before = text[start - 1] if start else ""
    after = text[end: end + 4]
    if before in _BAD_BEFORE or before.isdigit() or inside(blocked, start, end):
        return None
    if text[max(0, start - 2): start] in ("每年", "每月", "每周") or text[max(0, start - 3): start] in ("每年的", "每月的"):
        return None  # periodic: 每年9月, 每年的6月20日
    clause = text[max(0, start - 30): start]
    clause = clause[max(clause.rfind(c) for c in "，。；！？\n") + 1:]
    if (g["fest"] or g["lunar"] or g["chu"]) and _PERIODIC.search(clause):
        return None  # 每年春节、端午、中秋等传统佳节
    if g["chu"] and not (before and before in "、至到和及与" and _LUNAR_NEAR.search(_sentence_before(text, start))):
        return None  # 初四 only in a list or range of new-year days: 年三十、初四、初五
    if g["yctx"] in ("当年", "是年") and before and before not in _CLAUSE_START:
        return None  # 在当年他亲手建起的, 我是年三十: "back then" or not a date
    if g["ypart"] and not (g["y"] or g["ycn"] or g["yrel"] or g["y2d"] or g["y2cn"]) and (
            g["ypart"] not in ("年底", "年末", "年初") or before and before not in _YEAR_PART_BEFORE):
        return None  # 次年年末, 大年初十
    if (g["yrel"] or g["drel"] or "").startswith("前") and before == "大":
        return None  # 大前年, 大前天: not handled
    if g["drel"] in ("昨天", "今天", "明天") and before == "的":
        return None  # 中国的昨天、今天和明天: figurative
    if (g["drel"] or g["dayonly"] or g["dayonly_cn"]) and before == "《":
        return None  # a title: 《今天》, 《十日谈》
    if g["yrel"] and g["yrel"] in ("今年", "去年", "前年", "明年", "上年") and before and before in "如现过失离回上马晚早":
        return None  # 如今年轻人, 过去年代
    g = dict(g)
    for key in ("mpart", "ypart"):  # 9月初中生, 9月中小学: 初/中 must end the expression
        if g[key] in ("初", "中") and after[:1] and after[:1] not in _PART_OK_AFTER \
                and not (g[key] == "初" and after[:1] in _BEGIN_OK_AFTER):
            g[key] = None
            end -= 1
            after = text[end: end + 4]
    year_only = (g["y"] or g["ycn"] or g["yrel"]) and not (g["m"] or g["mrel"] or g["ypart"] or g["q"])
    if year_only and _VAGUE_AFTER.match(after) and not (g["y"] or g["ycn"]):
        return None  # 今年以来, 今年春季学期: vague; 2016年以来, 1930年秋: the year
    if g["ycn"] and not g["m"] and len(set(g["ycn"])) == 1:
        return None  # 一一一年? not a year
    if g["m"] == "十" and after.startswith("革命"):
        return None  # 十月革命
    if g["dayonly_cn"]:
        g["dayonly"] = g["dayonly_cn"]
    if not any(g[k] for k in ("y", "ycn", "y2d", "yrel", "yctx", "m", "mrel", "ypart", "q", "dayonly", "drel", "iso",
                              "fest", "lunar", "chu")):
        return None
    part = dict(g, start=start, end=end)
    if g["d"] or g["dayonly"] or g["drel"] or g["isod"]:  # 10月5日晚, 昨天下午3时
        tod = _TOD_RE.match(text, end)
        if tod and tod.end() > end:
            part["end"] = tod.end()
    return part


def _merge_ranges(text: str, parts: list[dict]) -> list[dict]:
    """Join A至B into one mention; B inherits the year/month it leaves out."""
    merged: list[dict] = []
    for part in parts:
        prev = merged[-1] if merged else None
        if prev is not None and "range_end" not in prev:
            gap = text[prev["end"]: part["start"]]
            if gap and _CONN_RE.fullmatch(gap):
                prev["range_end"] = part
                prev["end"] = part["end"]
                continue
        merged.append(part)
    return merged


# --- resolution -------------------------------------------------------------------------------
def _cost(months_or_days: int) -> int:
    """Distance from the publication date; dates after it count double."""
    return -months_or_days if months_or_days <= 0 else 2 * months_or_days


def _nearest_year(pub: dt.date, month: int, day: int | None) -> int:
    def cost(year: int) -> int:
        if day is None:
            return _cost((year * 12 + month) - (pub.year * 12 + pub.month))
        last = calendar.monthrange(year, month)[1]
        return _cost((dt.date(year, month, min(day, last)) - pub).days)

    return min((pub.year - 1, pub.year, pub.year + 1), key=cost)


def _nearest_month(pub: dt.date, day: int) -> tuple[int, int] | None:
    options = []
    for shift in (-1, 0, 1):
        index = pub.year * 12 + pub.month - 1 + shift
        year, month = divmod(index, 12)
        if day <= calendar.monthrange(year, month + 1)[1]:
            options.append((_cost((dt.date(year, month + 1, day) - pub).days), year, month + 1))
    return min(options)[1:] if options else None


def _shift_month(year: int, month: int, shift: int) -> tuple[int, int]:
    year, month = divmod(year * 12 + month - 1 + shift, 12)
    return year, month + 1


def _ymd(year: int, month: int | None = None, day: int | None = None) -> str:
    if month is None:
        return f"{year:04d}"
    if day is None:
        return f"{year:04d}-{month:02d}"
    return f"{year:04d}-{month:02d}-{day:02d}"


def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def _resolve(part: dict, pub: dt.date | None, ctx: tuple[int, int | None] | None = None,
             ) -> tuple[str | None, str | None, str]:
    """(value, end, granularity) of one mention, with its range end if any; ``ctx`` (year, month)
    stands in for what the text leaves out."""
    tail = part.get("range_end")
    head_anchor = ctx
    if ctx is None and tail is not None and not _has_year(part) and not _has_year(tail) and part["m"] and tail["m"]:
        # 1月—9月 printed in October: the year that puts the range's end nearest the publication date
        _, _, _, (tail_year, tail_month) = _resolve_one(tail, pub, None)
        if tail_year is not None:
            head_anchor = (tail_year - (_num(part["m"]) > tail_month), None)
    value, end, granularity, anchor = _resolve_one(part, pub, head_anchor)
    if tail is not None and value is not None:
        if not _has_year(tail) and tail["m"] and anchor[0] is not None and anchor[1] is not None \
                and _num(tail["m"]) < anchor[1]:
            anchor = (anchor[0] + 1, anchor[1])  # 11月至2月: the end falls in the next year
        t_value, t_end, _, _ = _resolve_one(tail, pub, anchor)
        end = t_end or t_value
    return value, end, granularity


def _has_year(part: dict) -> bool:
    return any(part[k] for k in ("y", "ycn", "y2d", "y2cn", "yrel", "yctx", "iso", "mrel"))


def _resolve_one(part: dict, pub: dt.date | None, anchor: tuple[int | None, int | None] | None):
    """Resolve one expression; ``anchor`` (year, month) fills what a range end leaves out."""
    g = part
    if g["iso"]:
        y, mo, d = int(g["iso"]), int(g["isom"]), int(g["isod"])
        return (_ymd(y, mo, d) if _valid(y, mo, d) else None), None, "day", (y, mo)
    if g["drel"]:
        if pub is None:
            return None, None, "day", (None, None)
        day = pub + dt.timedelta(days=_DAY_OFFSET[g["drel"]])
        return day.isoformat(), None, "day", (day.year, day.month)

    # year
    year = None
    year_known = bool(g["y"] or g["ycn"] or g["y2d"] or g["y2cn"] or g["yrel"] or g["yctx"])
    if g["y"]:
        year = int(g["y"])
    elif g["ycn"]:
        year = _num(g["ycn"])
    elif g["y2d"] or g["y2cn"]:
        short = int(g["y2d"]) if g["y2d"] else int(parse_chinese(g["y2cn"].replace("零", "〇")))
        year = 2000 + short if pub is None or 2000 + short <= pub.year + 10 else 1900 + short
    elif g.get("ctx_year") is not None:  # 同年, 次年; 上年 after a stated year
        year = g["ctx_year"]
    elif g["yrel"]:
        year = pub.year + _YEAR_OFFSET[g["yrel"]] if pub else None
    elif anchor is not None and anchor[0] is not None:
        year = anchor[0]

    if g["fest"] or g["lunar"] or g["chu"]:
        day = _festival_date(g, year, pub)
        if day is None:
            return None, None, "day", (None, None)
        return day.isoformat(), None, "day", (day.year, day.month)

    month = month2 = None
    if g["m"]:
        month, month2 = _num(g["m"]), _num(g["m2"])
    elif g["mrel"]:
        if pub is None:
            return None, None, "month", (None, None)
        year, month = _shift_month(pub.year, pub.month, _MONTH_OFFSET[g["mrel"]])
        year_known = True
    day = _num(g["d"]) if g["d"] else (_num(g["dayonly"]) if g["dayonly"] else None)
    day2 = _num(g["d2"]) if g["d2"] else None

    if g["dayonly"]:
        if anchor is not None and anchor[0] is not None and anchor[1] is not None:
            year, month = anchor
        elif pub is None:
            return None, None, "day", (None, None)
        else:
            nearest = _nearest_month(pub, day)
            if nearest is None:
                return None, None, "day", (None, None)
            year, month = nearest
        return (_ymd(year, month, day) if _valid(year, month, day) else None), None, "day", (year, month)

    if month is not None and not (1 <= month <= 12) or month2 is not None and not (month < month2 <= 12):
        return None, None, "month", (None, None)
    if day2 is not None and day is not None and day2 <= day:
        return None, None, "day", (None, None)
    if month is not None and not year_known and not (anchor and anchor[0]):
        year = _nearest_year(pub, month2 or month, day) if pub is not None else None

    if g["q"]:
        first, last, granularity = _quarter(g["q"])
        if year is None and not year_known and pub is not None:
            year = min((pub.year - 1, pub.year, pub.year + 1),
                       key=lambda y: _cost((y * 12 + last) - (pub.year * 12 + pub.month)))
        if year is None:
            return None, None, granularity, (None, None)
        return _ymd(year, first), _ymd(year, last), granularity, (year, None)

    if g["ypart"]:
        if year is None and not year_known and pub is not None:
            year = pub.year
        if year is None:
            return None, None, "year-part", (None, None)
        if g["ypart"] in ("初", "年初"):
            return _ymd(year, 1, 1), None, "year-part", (year, None)
        return _ymd(year, 12, 31), None, "year-part", (year, None)

    if month is None:  # a year or a span of years
        if year is None:
            return None, None, "year", (None, None)
        granularity = "school-year" if g["ysuf"] and "学年" in g["ysuf"] else "year"
        return _ymd(year), g["y2"] or None, granularity, (year, None)

    if year is None:
        return None, None, ("day" if day else "month"), (None, month)
    if day is not None:
        if not _valid(year, month, day):
            return None, None, "day", (year, month)
        end = _ymd(year, month, day2) if day2 and _valid(year, month, day2) else None
        return _ymd(year, month, day), end, "day", (year, month)
    if g["mpart"]:
        last = _last_day(year, month)
        spans = {"上旬": (1, 10), "中旬": (11, 20), "下旬": (21, last)}
        if g["mpart"] in spans:
            a, b = spans[g["mpart"]]
            return _ymd(year, month, a), _ymd(year, month, b), "month-part", (year, month)
        day_of = {"初": 1, "中": 15, "底": last, "末": last}[g["mpart"]]
        return _ymd(year, month, day_of), None, "month-part", (year, month)
    end = _ymd(year, month2) if month2 else None
    return _ymd(year, month), end, "month", (year, month)


_FIXED_HOLIDAYS = {"元旦": (1, 1), "劳动节": (5, 1), "妇女节": (3, 8), "儿童节": (6, 1), "教师节": (9, 10),
                   "建军节": (8, 1), "国庆": (10, 1), "圣诞节": (12, 25)}
_LUNAR_FESTIVALS = {"春节": (1, 1), "元宵": (1, 15), "端午": (5, 5), "七夕": (7, 7), "中秋": (8, 15),
                    "重阳": (9, 9), "腊八": (12, 8), "除夕": (12, 0), "年三十": (12, 0)}  # 0: the last day
_LUNAR_MONTHS = {"正": 1, "冬": 11, "腊": 12}


def _festival_key(name: str) -> str:
    return re.sub(r"^(?:五一|三八|六一|八一|大)", "", name)


def _lunar_month_day(g: dict) -> tuple[int, int]:
    """(lunar month, day) of 正月十二 / 腊月二十三 / 农历八月十五日 / 大年初三 / 初四."""
    text = (g["lunar"] or g["chu"]).rstrip("日")
    if "初" in text and not text.startswith(("正月", "腊月", "农历")):
        return 1, int(parse_chinese(text[text.index("初") + 1:]))  # 大年初三, 年初一, 初四
    month_text, day_text = text.removeprefix("农历").split("月", 1)
    month = _LUNAR_MONTHS.get(month_text) or int(parse_chinese(month_text))
    day_text = day_text.removeprefix("初").replace("廿", "二十")
    return month, int(parse_chinese(day_text))


def _lunar_in_year(year: int, month: int, day: int) -> dt.date | None:
    """The Gregorian date of lunar ``month``/``day`` (day 0: the last day of the month) that falls in
    Gregorian ``year``: 春节 2019 is 2019-02-05, 除夕 2019 is 2019-02-04 (of lunar year 2018)."""
    from lunar_python import Lunar

    dates_ = []
    for lunar_year in (year, year - 1):
        try:
            if day == 0:  # 除夕: the day before the next new year
                solar = Lunar.fromYmd(lunar_year + 1, 1, 1).getSolar()
                date = dt.date(solar.getYear(), solar.getMonth(), solar.getDay()) - dt.timedelta(days=1)
            else:
                lunar = Lunar.fromYmd(lunar_year, month, day)
                solar = lunar.getSolar()
                if (solar.getLunar().getMonth(), solar.getLunar().getDay()) != (month, day):
                    continue  # 三十 of a 29-day month
                date = dt.date(solar.getYear(), solar.getMonth(), solar.getDay())
        except Exception:  # outside the library's range
            continue
        if date.year == year:
            return date
        dates_.append(date)
    return None


def _festival_in_year(g: dict, year: int) -> dt.date | None:
    if g["fest"]:
        key = _festival_key(g["fest"])
        if key in _FIXED_HOLIDAYS:
            return dt.date(year, *_FIXED_HOLIDAYS[key])
        if key == "清明":  # a solar term, about April 5
            from lunar_python import Solar

            term = Solar.fromYmd(year, 4, 20).getLunar().getJieQiTable()["清明"]
            return dt.date(term.getYear(), term.getMonth(), term.getDay())
        return _lunar_in_year(year, *_LUNAR_FESTIVALS[key])
    return _lunar_in_year(year, *_lunar_month_day(g))


def _festival_date(g: dict, year: int | None, pub: dt.date | None) -> dt.date | None:
    """A festival or lunar date in ``year``, or the occurrence nearest the publication date."""
    if year is not None:
        return _festival_in_year(g, year)
    if pub is None:
        return None
    options = [d for d in (_festival_in_year(g, y) for y in (pub.year - 1, pub.year, pub.year + 1)) if d]
    return min(options, key=lambda d: _cost((d - pub).days), default=None)


def _quarter(q: str) -> tuple[int, int, str]:
    if q == "上半年":
        return 1, 6, "half-year"
    if q == "下半年":
        return 7, 12, "half-year"
    if q.startswith("前"):
        n = {"二": 2, "两": 2, "三": 3}[q[1]]
        return 1, 3 * n, "quarter"
    n = _QUARTERS[q.lstrip("第")[0]]
    return 3 * n - 2, 3 * n, "quarter"


def _valid(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= _last_day(year, month)


# --- evaluation (newsnlp eval dates) ------------------------------------------------------------
def score_seed_page(gold_articles: dict, gold_facts: dict) -> dict:
    """Dates (value) P/R/F1 on a gold page: per article, distinct values; a range may match both of
    its ends (gold lists them apart); gold ``optional`` entries neither count nor penalise; a gold
    value ``A/B`` matches a mention with value A and end B."""
    from newsnlp.extract.numerals import prf, seed_article_texts

    publication_date = gold_facts.get("publication_date")
    texts = seed_article_texts(gold_articles)
    tp = fp = n_gold = 0
    misses, extras = [], []
    for number, text in enumerate(texts, 1):
        gold = [d for d in gold_facts["dates"] if d["article"] == number]
        required = {d["value"] for d in gold if not d.get("optional")}
        optional = {d["value"] for d in gold if d.get("optional")}
        n_gold += len(required)
        predicted = {}
        for mention in dates(text, publication_date=publication_date):
            keys = {mention.value, mention.end, f"{mention.value}/{mention.end}"} - {None, "None/None"}
            predicted.setdefault((mention.value, mention.end), (mention.text, keys))
        matched = set()
        for text_, keys in predicted.values():
            hits = keys & required
            if hits:
                matched |= hits
            elif not keys & optional:
                fp += 1
                extras.append((number, text_, sorted(keys)[0] if keys else None))
        tp += len(matched)
        misses += [(number, d["text"], d["value"]) for d in gold if d["value"] in required - matched]
    scores = prf(tp, tp + fp, n_gold)
    return {**scores, "gold": n_gold, "true_positives": tp, "false_positives": fp,
            "misses": misses, "extras": extras}


def _interval(value: str | None, end: str | None) -> tuple[str, str] | None:
    """[first day, last day] covered by an ISO value (and range end)."""
    if value is None:
        return None

    def first(v: str) -> str:
        return v + "-01-01" if len(v) == 4 else v + "-01" if len(v) == 7 else v

    def last(v: str) -> str:
        if len(v) == 4:
            return v + "-12-31"
        if len(v) == 7:
            y, m = int(v[:4]), int(v[5:7])
            return f"{v}-{_last_day(y, m):02d}"
        return v

    return first(value), last(end or value)


def _case_base(args: dict) -> str | None:
    base = args.get("time_base")
    if isinstance(base, (int, float)):
        return args["time_base_iso"][:10]
    if isinstance(base, list) and len(base) >= 1:
        parts = list(base) + [1, 1]
        return f"{parts[0]:04d}-{parts[1]:02d}-{parts[2]:02d}"
    if isinstance(base, dict):
        return f"{base.get('year', 2000):04d}-{base.get('month', 1):02d}-{base.get('day', 1):02d}"
    if isinstance(base, str) and base != "NOW":
        return base[:10]
    if base == "NOW":
        return dt.date.today().isoformat()
    return None


def score_time_cases(folder) -> dict:
    """Agreement with the JioNLP time parser and extractor cases and the Time-NLP README cases
    (other libraries' conventions: agreement, not accuracy)."""
    import json
    from pathlib import Path

    folder = Path(folder)
    agree = total = found = 0
    by_type: dict[str, list[int]] = {}
    for line in (folder / "jionlp_time_parser_cases.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        expected = case["expected"]
        if expected["type"] not in ("time_point", "time_span") or "inf" in " ".join(expected["time"]):
            continue
        total += 1
        mentions = dates(case["args"]["text"], publication_date=_case_base(case["args"]))
        mention = max(mentions, key=lambda d: d.end_offset - d.start, default=None)
        found += mention is not None
        ok = mention is not None and _interval(mention.value, mention.end) == (
            expected["time"][0][:10], expected["time"][1][:10])
        agree += ok
        by_type.setdefault(expected["type"], [0, 0])
        by_type[expected["type"]][0] += ok
        by_type[expected["type"]][1] += 1

    ext_agree = ext_total = 0
    for line in (folder / "jionlp_time_extractor_cases.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        ext_total += 1
        mine = [d.text for d in dates(case["args"]["text"], publication_date=dt.date.today().isoformat())]
        ext_agree += mine == [e["text"] for e in case["expected"]]

    nlp_agree = nlp_total = 0
    for line in (folder / "time_nlp_java_readme_cases.jsonl").open(encoding="utf-8"):
        case = json.loads(line)
        for expected in case["expected"]:
            nlp_total += 1
            mine = {d.value for d in dates(case["text"], publication_date=case["time_base"][:10])}
            nlp_agree += expected["time"][:10] in mine
    return {
        "parser_cases": total, "parser_found": found, "parser_agree": agree,
        "parser_agreement": agree / total if total else 0.0,
        "parser_by_type": {k: f"{a}/{n}" for k, (a, n) in by_type.items()},
        "extractor_cases": ext_total, "extractor_span_agreement": ext_agree / ext_total if ext_total else 0.0,
        "time_nlp_cases": nlp_total, "time_nlp_day_agreement": nlp_agree / nlp_total if nlp_total else 0.0,
    }


_DATE_LIKE = re.compile(
    r"[\d〇零一二三四五六七八九十]+[年月日号]|今天|昨天|明天|前天|今晚|今晨|昨晚|去年|今年|明年|前年|上年|上月|本月|季度|上半年|下半年|年底|年初|月底")


def score_peoples_daily(folder, *, limit: int | None = None) -> dict:
    """Span agreement with the TIME spans of People's Daily, January 1998 (``199801_entities.jsonl``),
    published on the date in each paragraph id.  Precision: mentions that overlap a TIME span.
    Recall: date-like TIME spans (a numeral with 年/月/日, or 今天/去年/上月...) that a mention
    overlaps; vague TIME words (目前, 新年, 春节) are not dates here and are not counted."""
    import json
    from pathlib import Path

    path = Path(folder) / "199801_entities.jsonl"
    mentions = correct = gold = recalled = 0
    with path.open(encoding="utf-8") as lines:
        for n, line in enumerate(lines):
            if limit is not None and n >= limit:
                break
            record = json.loads(line)
            day = record["id"][:8]
            found = dates(record["text"], publication_date=f"{day[:4]}-{day[4:6]}-{day[6:]}")
            times = [(s, e) for s, e, kind, text in record["entities"] if kind == "TIME"]
            likely = [(s, e) for s, e, kind, text in record["entities"]
                      if kind == "TIME" and _DATE_LIKE.search(fold_width(text))]
            mentions += len(found)
            correct += sum(any(s < d.end_offset and d.start < e for s, e in times) for d in found)
            gold += len(likely)
            recalled += sum(any(s < d.end_offset and d.start < e for d in found) for s, e in likely)
    p = correct / mentions if mentions else 0.0
    r = recalled / gold if gold else 0.0
    return {"pd_mentions": mentions, "pd_span_precision": p, "pd_date_like_gold": gold, "pd_span_recall": r,
            "pd_f1": 2 * p * r / (p + r) if p + r else 0.0}


def load_gold_dates(path) -> list[dict]:
    """Records of a date gold file (``corpus/dates/*.jsonl``): one article a line, with ``id``,
    ``date``, ``part`` and ``dates`` (``text``, ``start``, ``value``, ``end``, optional ``optional``)."""
    import json
    from pathlib import Path

    with Path(path).open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def score_gold_dates(gold_path, articles_folder, part: str = "dev") -> dict:
    """Precision, recall and F1 of (start, value, end) against a date gold file on the articles of
    ``part`` (``dev``, ``heldout`` or ``all``).  Gold mentions marked ``optional`` (今天 meaning
    "nowadays", generic 春节…) neither count nor penalise a mention that starts where they do."""
    from newsnlp.extract.numerals import prf

    records = [r for r in load_gold_dates(gold_path) if part == "all" or r["part"] == part]
    from newsnlp.evaluate import articles_2019_texts

    texts = articles_2019_texts(articles_folder, {r["id"] for r in records})
    tp = n_found = n_gold = 0
    misses, extras = [], []
    for record in records:
        text = texts.get(record["id"])
        if text is None:
            raise InputError(f"article {record['id']} of {gold_path} not found in {articles_folder}")
        required = {(d["start"], d["value"], d["end"]): d["text"] for d in record["dates"] if not d.get("optional")}
        optional = {d["start"] for d in record["dates"] if d.get("optional")}
        n_gold += len(required)
        found = {(m.start, m.value, m.end): m.text for m in dates(text, publication_date=record["date"])
                 if m.start not in optional}
        n_found += len(found)
        tp += len(found.keys() & required.keys())
        misses += [(record["id"], required[k], *k) for k in sorted(required.keys() - found.keys())]
        extras += [(record["id"], found[k], *k) for k in sorted(found.keys() - required.keys())]
    scores = prf(tp, n_found, n_gold)
    return {**scores, "articles": len(records), "gold": n_gold, "found": n_found, "true_positives": tp,
            "misses": misses, "extras": extras}
