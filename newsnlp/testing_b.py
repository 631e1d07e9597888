"""Generated OCR-style pages, family B: People's Daily 2019 with layout conventions of its own.

Family A (:mod:`newsnlp.testing`) lays out PKU People's Daily 1998 articles; the
splitter has been tuned on it.  Family B is a second, independent family for
measuring the splitter on layouts it was never tuned on:

- source: People's Daily February and October 2019 (``../shared/data/peoples_daily_2019``,
  see its SOURCE.md), parsed by :func:`load_2019_articles` into structured records
  (kicker, headline with its bracketed column label, subtitle, dateline, byline and
  reporters, body blocks, captions with credits, trailing credit, teaser box).  The
  texts are read at run time only; nothing from them is stored in the package.
- layout (:func:`generate_page_b`): other column widths (narrow 10-16 or wide 22-30
  cells, drawn per page), other gaps between articles (none, one or up to four blank
  lines) and columns, other furniture (a top line such as ``2019年10月17日  星期四
  第3版  要闻``, ``责任编辑：…`` lines, a page footer), paragraph indentation by two
  spaces or U+3000 (or none, or mixed), column breaks that fall inside paragraphs,
  layout spaces around digits and Latin letters, and eight patterns that family A
  does not print (each drawn with its own probability; ``gold["patterns"]`` lists
  the ones a page shows):

  1. ``kicker``: a kicker (1-2 short lines) above the headline and no byline line:
     the body (its dateline inline, if any) starts right under the headline;
  2. ``subtitle``: headline and subtitle as two short lines, the subtitle often
     after ``——``;
  3. ``subheads``: 1-5 subheads (short unpunctuated lines) inside long articles;
  4. ``column_label``: a column label in brackets at the end of a headline
     (``……（经济观察）``), kept from the data as part of the headline;
  5. ``trailing``: a trailing credit after the last paragraph (``（本报北京1月15日电）``)
     or a trailing reporter list ``（本报记者 甲、乙、丙、丁）``;
  6. ``spaced``: character-spaced text of justified lines: ``（ 记 者 王 小 明 ）``,
     ``1 5 日``, names with NBSP between their characters;
  7. ``caption``: picture captions with their credit as a block of their own, between
     paragraphs of an article or between articles;
  8. ``teaser`` / ``continuation``: a boxed teaser (``核心阅读`` / ``内容提要`` /
     ``编者按`` and a short paragraph) opening an article, and continuations:
     ``（上接第一版）`` opening an untitled article in mid-page, ``（下转第四版）``
     ending one.

Gold has the shape of family A's gold (and of ``page.gold-articles.json``):
``source, section, paper, page, publication_date, furniture, articles`` with
``headline`` (printed lines), ``kicker``, ``subtitle`` (without the printed ``——``),
``dateline``, ``byline``, ``reporters``, ``body`` (``{"kind": "p"|"subhead", "text"}``,
whitespace-free), ``captions`` and ``continuation``; plus ``patterns``.  Where
things go in gold:

- body is the article's own paragraphs and subheads, nothing else;
- a teaser box belongs to its article's body: the box label printed on a line of
  its own (``核心阅读``) is a ``subhead`` block and the teaser text the first ``p``;
  an inline ``编者按：……`` is one ``p`` block;
- a trailing ``（本报北京1月15日电）`` is the article's ``dateline`` (without the
  brackets), not body; a trailing reporter list gives ``reporters`` and ``byline``;
  other bracketed closing notes (``（作者为…）``, ``（相关报道见第十版）``) stay body;
- a caption block (caption text and its credit, e.g. ``图为…。  新华社记者 王小明摄``)
  gives one entry of ``captions``: the caption text without the credit (as in the
  seed gold and family A; the credit is printed but is neither body nor caption),
  on the article it is printed in or, between articles, on the article before it;
- ``continuation`` is the printed note without brackets (``上接第一版`` /
  ``下转第四版``); a continued article has no headline (``[]``);
- furniture lines are listed in ``furniture``; the section printed in the top line
  is ``section``.
"""
from __future__ import annotations

import datetime as dt
import gzip
import hashlib
import json
import random
import re
from collections import Counter
from pathlib import Path
from typing import Any

from newsnlp.testing import text_width, to_halfwidth

# --------------------------------------------------------------------------- loading

_WS = re.compile(r"[\s\u00a0\u3000]+")
_NAME = re.compile(r"[\u4e00-\u9fff]{2,4}|[\u4e00-\u9fff]{1,6}·[\u4e00-\u9fff·]{1,10}")
_ROLE = r"(?:本报|新华社|中新社|人民日报)?(?:驻[\u4e00-\u9fff]{1,8}?)?(?:特派|特约)?(?:记者|通讯员|实习生)"
_ROLE_PREFIX = re.compile(rf"^{_ROLE}")
_DATELINE = re.compile(
    r"^据?(?:本报|新华社|中新社|人民日报)(?!记者|驻|特派|特约|评论员)[\u4e00-\u9fff·]{0,10}?"
    r"(?:\d{1,2}月\d{1,2}日)?[电讯]"
)
_CREDIT = re.compile(r"(?:摄影?报道|摄)(?:（[^（）]{2,10}）)?$")
_CAPTION_START = re.compile(r"^(?:图为|[上下左右中]图[：:为]|图[①-⑩\d]{1,2}[：:为])")
_BOX_LABELS = ("核心阅读", "内容提要", "编者按")
_PRODUCTION = re.compile(r"^(?:本版)?(?:制图|版式设计|摄影|图表|责编|本版摄影|数据来源)[：:]")
_SENTENCE = set("。，；！？：:")
_SKIP_TITLES = ("图片报道", "图片新闻", "目录", "广告")


def _squeeze(text: str | None) -> str:
    return _WS.sub("", text or "")


def _norm(text: str | None) -> str:
    """Whitespace runs (NBSP, U+3000 too) -> one ASCII space."""
    return " ".join(_WS.sub(" ", text or "").split())


def _names(text: str) -> list[str] | None:
    """Reporter names in a byline text (role words taken off), or None when some piece
    is not a name.  Single characters separated by layout spaces are put together:
    ``王  伟`` -> ``王伟``."""
    text = _ROLE_PREFIX.sub("", text.strip())
    names: list[str] = []
    for chunk in re.split(r"[、，,]", text):
        tokens = [_ROLE_PREFIX.sub("", t) for t in _WS.split(chunk.strip()) if t]
        tokens = [t for t in tokens if t]
        merged: list[str] = []
        for tok in tokens:
            if merged and len(tok) == 1 and len(merged[-1]) == 1:
                merged[-1] += tok
            else:
                merged.append(tok)
        names.extend(merged)
    if not names or not all(_NAME.fullmatch(n) for n in names):
        return None
    return names


def _byline_line(para: str) -> tuple[str, list[str]] | None:
    """An own-line byline (``本报记者  王  伟``, ``本报驻美国记者  李华``): (role, names)."""
    if len(para) > 40 or set(para) & _SENTENCE or _CREDIT.search(para):
        return None
    m = re.match(rf"^(?:{_ROLE}|本报评论员)", para)
    if not m:
        return None
    role = m.group(0)
    names = _names(para[m.end():])
    if names is None:
        return None
    return role, names


def _paren_byline(inner: str) -> tuple[str, list[str]] | None:
    """``记者王小明、李华`` / ``本报记者 王 伟`` / ``张小红``: (role, names)."""
    inner = inner.strip()
    m = re.match(_ROLE, inner)
    role = m.group(0) if m else ""
    names = _names(inner[m.end():] if m else inner)
    if names is None:
        return None
    return role, names


def _is_subhead(text: str) -> bool:
    return 1 <= len(text) <= 24 and not (set(text) & _SENTENCE) and not _CREDIT.search(text)


class _Reject(Exception):
    pass


def _parse_article(raw: dict[str, Any]) -> dict[str, Any]:
    title = _norm(to_halfwidth(raw.get("title") or ""))
    if not title or _squeeze(title) in _SKIP_TITLES or len(_squeeze(title)) > 40:
        raise _Reject("title")
    paras = [_norm(to_halfwidth(p)) for p in raw.get("paragraphs") or []]
    paras = [p for p in paras if p]
    if len(paras) < 2:
        raise _Reject("short")
    record: dict[str, Any] = {
        "id": raw["id"], "date": raw.get("date"), "page": raw.get("page"),
        "kicker": _norm(to_halfwidth(raw.get("pretitle") or "")) or None,
        "headline": title,
        "subtitle": _norm(to_halfwidth(raw.get("subtitle") or "")).lstrip("—-－ ") or None,
        "subtitle_dash": (raw.get("subtitle") or "").startswith("——"),
        "dateline": None, "trailing_dateline": False, "byline": None, "byline_role": None,
        "reporters": [], "trailing_reporters": False, "teaser": None, "captions": [],
        "body": [],
    }
    if record["kicker"] and len(_squeeze(record["kicker"])) > 50:
        raise _Reject("kicker")
    # production credits at the end (制图：…, 版式设计：…) are not printed with the article
    while paras and _PRODUCTION.match(paras[-1]):
        paras.pop()
    # pictures: a credit paragraph (… 摄) with the caption text before it
    kept: list[str] = []
    i = 0
    while i < len(paras):
        p = paras[i]
        if _CREDIT.search(p) and len(p) <= 40 and "。" not in p:
            if kept and (_CAPTION_START.match(kept[-1]) or "图为" in kept[-1]) and len(kept[-1]) <= 160:
                record["captions"].append({"text": kept.pop(), "credit": p})
            else:
                raise _Reject("caption")
        elif _CAPTION_START.match(p) and len(p) <= 160 and not (i + 1 < len(paras) and _CREDIT.search(paras[i + 1])):
            m = re.search(r"^(.*[。）])\s*(\S{0,12}记者\s?[\u4e00-\u9fff\s]{2,10}摄|[\u4e00-\u9fff\s]{2,8}摄)$", p)
            if m:
                record["captions"].append({"text": m.group(1), "credit": m.group(2)})
            else:
                record["captions"].append({"text": p, "credit": ""})
        else:
            kept.append(p)
        i += 1
    paras = kept
    if not paras and record["captions"]:
        record["body"] = []  # a picture item: its captions only
        return record
    if len(paras) < 2:
        raise _Reject("short")

    # the head of the article: teaser box, byline line, dateline (+ bracketed byline)
    i = 0
    while i < min(len(paras), 4):
        p = paras[i]
        if p in _BOX_LABELS and record["teaser"] is None and i + 1 < len(paras):
            record["teaser"] = {"label": p, "text": _squeeze(paras[i + 1])}
            i += 2
            if i < len(paras) and _squeeze(paras[i]) in ("——编者", "编者"):
                i += 1
            continue
        if (record["teaser"] is None and i + 1 < len(paras) and _squeeze(paras[i + 1]) in ("——编者", "——本报编辑部")
                and len(p) <= 400):
            record["teaser"] = {"label": "", "text": _squeeze(p) + _squeeze(paras[i + 1])}
            i += 2
            continue
        if p.startswith("编者按：") and record["teaser"] is None:
            record["teaser"] = {"label": "", "text": _squeeze(p)}
            i += 1
            continue
        byline = _byline_line(p)
        if byline and not record["reporters"]:
            record["byline_role"], record["reporters"] = byline
            i += 1
            continue
        break
    if i < len(paras) and (m := _DATELINE.match(paras[i])):
        rest = paras[i][m.end():]
        if rest and not rest[0].isspace() and rest[0] != "（":
            raise _Reject("dateline")
        record["dateline"] = _squeeze(m.group(0))
        rest = rest.strip()
        b = re.match(r"^（([^（）]{2,40})）", rest)
        if b:
            parsed = _paren_byline(b.group(1))
            if parsed is None:
                raise _Reject("byline")
            if not record["reporters"]:
                record["byline_role"], record["reporters"] = parsed
            rest = rest[b.end():].strip()
        if not rest:
            raise _Reject("dateline")
        paras[i] = rest
    paras = paras[i:]
    if not paras:
        raise _Reject("short")
    # several pieces under one id: bylines or datelines further down
    for p in paras[1:]:
        if _byline_line(p) or _DATELINE.match(p) or _byline_line(p.strip("（）")):
            raise _Reject("multipart")
    # the end: trailing credit and reporter lists
    last = paras[-1]
    t = re.search(r"（([^（）]{2,80})）$", last)
    if t:
        inner = t.group(1).strip()
        before = last[:t.start()].strip()
        d = _DATELINE.match(inner)
        both = d and _paren_byline(inner[d.end():]) if d and inner[d.end():].strip() else None
        if both and not record["dateline"] and not record["reporters"]:
            record["dateline"], record["trailing_dateline"] = _squeeze(d.group(0)), True
            record["byline_role"], record["reporters"] = both
            record["trailing_reporters"] = True
            last = before
        elif _DATELINE.fullmatch(_squeeze(inner)):
            if record["dateline"]:
                raise _Reject("two datelines")
            record["dateline"], record["trailing_dateline"] = _squeeze(inner), True
            last = before
        elif (parsed := _paren_byline(inner)) is not None and (not before or "记者" in inner):
            if record["reporters"]:
                raise _Reject("two bylines")
            record["byline_role"], record["reporters"] = parsed
            record["trailing_reporters"] = True
            last = before
        if last:
            paras[-1] = last
        else:
            paras.pop()
    if record["reporters"]:
        role = record["byline_role"] or ""
        record["byline"] = _norm(f"{role} {'、'.join(record['reporters'])}")
    # body blocks
    blocks = []
    for p in paras:
        text = _squeeze(p)
        if not text:
            continue
        if re.search(r"[\u4e00-\u9fff]摄(?:（|$)", text) or _CAPTION_START.match(text):
            raise _Reject("caption")
        kind = "subhead" if _is_subhead(text) and not (text[0] == "（" and text[-1] == "）") else "p"
        if kind == "p" and len(text) > 24 and not (set(text) & set("，。；！？")):
            raise _Reject("table")
        blocks.append({"kind": kind, "text": text})
    if blocks and blocks[-1]["kind"] == "subhead":
        raise _Reject("ends with subhead")
    if blocks and blocks[0]["kind"] == "subhead" and not record["teaser"]:
        raise _Reject("starts with subhead")
    ps = [b for b in blocks if b["kind"] == "p"]
    if not ps or sum(len(b["text"]) for b in ps) < 120 or not any("。" in b["text"] for b in ps):
        raise _Reject("short")
    if sum(len(b["text"]) < 12 for b in blocks) > 0.4 * len(blocks):
        raise _Reject("list")
    if any(b["kind"] == "subhead" and re.fullmatch(r"[\u4e00-\u9fff]{2,3}", b["text"]) and len(blocks) > 8
           and sum(x["kind"] == "subhead" for x in blocks) > 0.3 * len(blocks) for b in blocks):
        raise _Reject("multipart")
    record["body"] = blocks
    return record


def load_2019_articles(folder: str | Path, *, stats: Counter | None = None) -> list[dict[str, Any]]:
    """Structured records of the People's Daily 2019 articles in ``folder``
    (``rmrb_2019_*_articles.jsonl.gz``).  Articles the parser cannot take apart
    cleanly (several pieces under one id, picture pages, tables, unusual bylines) are
    dropped; ``stats`` (a Counter), when given, counts ``kept`` and each reason.

    A record::

        {"id": "20191017-03-02", "date": "2019-10-17", "page": 3,
         "kicker": str | None, "headline": "…（权威发布）", "subtitle": str | None,
         "subtitle_dash": bool, "dateline": "本报北京10月17日电" | None,
         "trailing_dateline": bool, "byline": "记者 王小明、李华" | None,
         "byline_role": "记者" | None, "reporters": [...], "trailing_reporters": bool,
         "teaser": {"label": "核心阅读" | "", "text": "…"} | None,
         "captions": [{"text": "图为…", "credit": "新华社记者 王小明摄"}],
         "body": [{"kind": "p" | "subhead", "text": "…"}]}

    ``trailing_dateline`` / ``trailing_reporters`` say the credit was printed after
    the last paragraph (``（本报北京10月17日电）``, ``（本报记者甲、乙）``).  Texts keep
    their headline spacing normalised to one space; body texts have no whitespace.
    """
    stats = stats if stats is not None else Counter()
    out = []
    for path in sorted(Path(folder).glob("rmrb_2019_*_articles.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                if not line.strip():
                    continue
                try:
                    out.append(_parse_article(json.loads(line)))
                    stats["kept"] += 1
                except _Reject as reason:
                    stats[str(reason)] += 1
    return out


def split_articles(articles: list[dict[str, Any]], part: str) -> list[dict[str, Any]]:
    """The ``"dev"`` (about 30%) or ``"heldout"`` (about 70%) part of ``articles``, by a
    hash of the article id (stable across runs and machines); ``"all"``: everything."""
    if part == "all":
        return list(articles)
    if part not in ("dev", "heldout"):
        raise ValueError(f"part must be dev, heldout or all, not {part!r}")

    def is_dev(article_id: str) -> bool:
        digest = hashlib.sha1(f"newsnlp-b:{article_id}".encode()).digest()
        return int.from_bytes(digest[:4], "big") % 100 < 30

    return [a for a in articles if is_dev(a["id"]) == (part == "dev")]


# --------------------------------------------------------------------------- layout

_NO_START = set("，。、；：？！）》」』”’…%·")
_NO_END = set("（《「『“‘")
_SECTIONS_B = ["要闻", "国际", "经济", "社会", "文化", "体育", "评论", "理论", "政治", "综合",
               "副刊", "生态", "教育", "科技", "地方", "视点", "民生", "党建"]
_CN_DIGITS = "〇一二三四五六七八九十"
_SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜谢邹喻柏窦章苏潘葛范彭鲁韦马苗方俞任袁柳鲍史唐费薛雷贺倪汤殷罗毕郝安常乐于傅齐康伍余顾孟黄穆萧尹姚邵汪祁毛狄米贝明臧计伏成戴宋庞熊纪舒屈项祝董梁杜阮蓝闵季贾路江童颜郭梅盛林钟徐邱骆高夏蔡田胡凌霍虞万柯管卢莫"
_GIVEN = "子晓宇思嘉一明文建志秀雅欣洁昊天泽瑞睿宁远航涵轩博家俊诗梦凡琪璐晗楠蕾薇雯颖鑫磊岩峰"


def _cn_number(n: int) -> str:
    if n <= 10:
        return _CN_DIGITS[n] if n else "〇"
    if n < 20:
        return "十" + _CN_DIGITS[n - 10]
    return _CN_DIGITS[n // 10] + "十" + (_CN_DIGITS[n % 10] if n % 10 else "")


def _person(rng: random.Random) -> str:
    return rng.choice(_SURNAMES) + "".join(rng.choice(_GIVEN) for _ in range(rng.choice([1, 2, 2])))


class _StyleB:
    """The look of one page."""

    def __init__(self, rng: random.Random) -> None:
        self.widths = rng.choice([(10, 16), (22, 30), (10, 16), (22, 30), (12, 26)])
        self.indent = rng.choice(["none", "spaces", "ideographic", "mixed"])
        self.p_ascii = rng.choice([0.0, 0.5, 0.9])          # layout spaces around digits/Latin
        self.p_digit_spread = rng.choice([0.0, 0.1, 0.3])   # 1 5 日
        self.p_spaced_byline = rng.choice([0.2, 0.5])       # （ 记 者 王 小 明 ）
        self.gap = rng.choice([(0, 1), (1, 1), (2, 3), (2, 4), (1, 2)])
        self.column = rng.randint(10, 40)
        self.p_colbreak_two = rng.choice([0.0, 0.5])
        self.p_subhead_blank = rng.choice([0.0, 0.5, 1.0])
        self.p_para_blank = rng.choice([0.0, 0.0, 0.2, 0.6])
        self.space = rng.choice([" ", " ", "\u00a0", "\u3000"])


def _units(text: str) -> list[str]:
    return re.findall(r"[!-~]+|.", text)


def _body_units(text: str, style: _StyleB, rng: random.Random) -> list[str]:
    """Printing units with layout spaces: spaces around ASCII runs, spread digits."""
    out: list[str] = []
    for unit in _units(text):
        if unit[0].isascii():
            if unit.isdigit() and 2 <= len(unit) <= 4 and rng.random() < style.p_digit_spread:
                unit = " ".join(unit)
            if rng.random() < style.p_ascii:
                unit = " " + unit + " "
        out.append(unit)
    return out


def _wrap_units(units: list[str], width: int, first_indent: str = "") -> list[str]:
    """Hard-wrap printing units to ``width`` cells; closing punctuation may hang, opening
    punctuation moves to the next line."""
    lines: list[str] = []
    line, used = first_indent, text_width(first_indent)
    for unit in units:
        cost = text_width(unit)
        if line.strip() and used + cost > width and not (unit in _NO_START and used + cost <= width + 1):
            carry = ""
            if line and line[-1] in _NO_END and len(line) > 1:
                carry, line = line[-1], line[:-1]
            lines.append(line.rstrip())
            line, used = carry, text_width(carry)
            unit = unit.lstrip() if not carry else unit
            cost = text_width(unit)
        line += unit
        used += cost
    if line.strip():
        lines.append(line.rstrip())
    return [re.sub(r"^ +", "", ln) if not ln.startswith(("  ", "\u3000")) else ln for ln in lines]


def _split_phrase(text: str, rng: random.Random, max_len: int) -> list[str]:
    """A title-like phrase as 1 or 2 printed lines (at a space when it has one)."""
    if " " in text and (len(text) > max_len or rng.random() < 0.5):
        left, _, right = text.partition(" ")
        return [left, right] if left and right else [text]
    if len(text) > max_len:
        middle = len(text) // 2
        # prefer a cut after a function word or punctuation, near the middle
        cuts = [c for c in range(max(2, middle - 5), min(len(text) - 2, middle + 5) + 1)
                if text[c - 1] in "的了在和与及为到从向对把被将，、：" or text[c] in "在与和从向对为"]
        cut = min(cuts, key=lambda c: abs(c - middle)) if cuts else middle
        while 0 < cut < len(text) - 1 and (text[cut] in _NO_START or text[cut - 1] in _NO_END):
            cut += 1
        return [text[:cut], text[cut:]]
    return [text]


def _spaced(text: str, sep: str = " ") -> str:
    return sep.join(ch for ch in text if not ch.isspace())


def _byline_text(role: str, names: list[str], rng: random.Random, style: _StyleB, *, own_line: bool) -> tuple[str, bool]:
    """Printed byline (without brackets) and whether it is character-spaced (pattern 6)."""
    spaced = False
    if own_line:
        parts = []
        for name in names:
            if len(name) == 2 and rng.random() < 0.7:
                parts.append(name[0] + "\u00a0\u00a0" + name[1])
                spaced = True
            elif rng.random() < style.p_spaced_byline / 2:
                parts.append(_spaced(name, "\u00a0"))
                spaced = True
            else:
                parts.append(name)
        return (role or "本报记者") + "\u00a0\u00a0" + "\u00a0\u00a0".join(parts), spaced
    text = (role or "记者") + rng.choice(["", " "]) + "、".join(names)
    if rng.random() < style.p_spaced_byline:
        return _spaced(text), True
    return text, False


def _continuation_page(rng: random.Random, page_no: int) -> str:
    target = rng.choice([p for p in range(1, 25) if p != page_no] or [1])
    return f"第{_cn_number(target)}版" if rng.random() < 0.7 else f"第{target}版"


def _choose_blocks(blocks: list[dict[str, str]], max_chars: int) -> list[dict[str, str]]:
    out, total = [], 0
    for block in blocks:
        if out and total + len(block["text"]) > max_chars and any(b["kind"] == "p" for b in out):
            break
        out.append(dict(block))
        total += len(block["text"])
    while out and out[-1]["kind"] == "subhead":
        out.pop()
    return out


def _caption_lines(caption: dict[str, str], width: int, rng: random.Random) -> tuple[list[str], str]:
    text, credit = caption["text"], caption.get("credit") or ""
    printed_credit = credit
    if credit and rng.random() < 0.5:  # names spaced by NBSP in the credit
        printed_credit = re.sub(r"(记者)\s*([\u4e00-\u9fff])([\u4e00-\u9fff])摄", "\\1\u00a0\u00a0\\2\u00a0\u00a0\\3摄", credit)
    lines = _wrap_units(_units(text), width)
    if credit:
        if rng.random() < 0.5 and text_width(lines[-1] + printed_credit) + 1 <= width + 4:
            lines[-1] += "  " + printed_credit
        else:
            lines.append(rng.choice(["", "    ", "\u3000\u3000"]) + printed_credit)
    return lines, _norm(text)


def _layout_article(article: dict[str, Any], rng: random.Random, style: _StyleB, *, role: str,
                    page_no: int) -> tuple[list[str], dict[str, Any], set[str]]:
    """Raw lines, gold record and patterns shown for one article.  ``role``: ``normal``,
    ``from`` (continued from another page: no heading) or ``to`` (continued elsewhere)."""
    width = rng.randint(*style.widths)
    lines: list[str] = []
    patterns: set[str] = set()
    gold: dict[str, Any] = {"id": "", "headline": [], "kicker": None, "subtitle": None, "dateline": None,
                            "byline": None, "reporters": [], "body": [], "captions": [], "continuation": None}
    blocks = list(article["body"])
    teaser = article.get("teaser")
    if role == "from":
        start = rng.randint(1, max(1, len(blocks) - 1)) if len(blocks) > 1 else 0
        while start < len(blocks) and blocks[start]["kind"] == "subhead":
            start += 1
        blocks = blocks[start:] or blocks[-1:]
        teaser = None
    blocks = _choose_blocks(blocks, rng.randint(250, 1800) if style.widths[0] >= 20 else rng.randint(200, 1200))
    if role == "to" and len(blocks) >= 2:
        blocks = blocks[: rng.randint(1, len(blocks) - 1)]
        while blocks[-1]["kind"] == "subhead":
            blocks.pop()
        if rng.random() < 0.5:  # cut in mid-paragraph
            text = blocks[-1]["text"]
            blocks[-1] = {"kind": "p", "text": text[: max(8, len(text) * rng.randint(3, 8) // 10)]}

    dateline = article.get("dateline")
    reporters = list(article.get("reporters") or [])
    byline_role = article.get("byline_role") or ""
    trailing_dateline = bool(article.get("trailing_dateline")) and role == "normal"
    trailing_reporters = bool(article.get("trailing_reporters")) and role == "normal"
    if role == "from":
        # a continued article: the rest of an article, no heading, no byline
        dateline, reporters = (dateline if trailing_dateline else None), (reporters if trailing_reporters else [])
        note = "上接" + rng.choice(["第一版", "第一版", _continuation_page(rng, page_no)])
        lines.append(rng.choice(["（{}）", "({})", "{}", "（ {} ）"]).format(note))
        gold["continuation"] = note
        patterns.add("continuation")
        if rng.random() < 0.5:
            lines.append("")
    else:
        kicker = article.get("kicker")
        if kicker:
            klines = _split_phrase(kicker, rng, max(width, 14))
            lines += klines
            gold["kicker"] = kicker
        headline = article["headline"]
        hlines = _split_phrase(headline, rng, max(width, 12))
        lines += hlines
        gold["headline"] = hlines
        if re.search(r"（[^（）]+）$", headline):
            patterns.add("column_label")
        subtitle = article.get("subtitle")
        if subtitle:
            dash = "——" if article.get("subtitle_dash") or rng.random() < 0.3 else ""
            if rng.random() < 0.3:
                lines.append("")
            lines.append(dash + subtitle)
            gold["subtitle"] = subtitle
            patterns.add("subtitle")
        if lines and rng.random() < 0.6:
            lines.append("")
        if role == "to":
            trailing_dateline = trailing_reporters = False
            if article.get("trailing_dateline"):
                dateline = None
            if article.get("trailing_reporters"):
                reporters = []

    # where the dateline and the byline go
    own_line = False
    inline_byline = False
    if role != "from" and reporters and not trailing_reporters:
        if gold["kicker"] and not dateline and rng.random() < 0.5:
            trailing_reporters = True  # the byline moves to the end: kicker, headline, body
        elif dateline and not trailing_dateline and rng.random() < 0.75:
            inline_byline = True
        else:
            own_line = True
    if role == "normal" and dateline and not trailing_dateline and not own_line and reporters and rng.random() < 0.15:
        trailing_dateline = True  # printed at the end: （本报北京1月15日电）
        own_line, inline_byline = True, False
    if gold["kicker"] and not own_line:
        patterns.add("kicker")
    if reporters:
        gold["reporters"] = reporters
        gold["byline"] = _norm(f"{byline_role} {'、'.join(reporters)}")
    gold["dateline"] = dateline

    if own_line:
        text, spaced = _byline_text(byline_role, reporters, rng, style, own_line=True)
        lines.append(rng.choice(["", "  ", "\u3000"]) + text)
        if spaced:
            patterns.add("spaced")
        if rng.random() < 0.5:
            lines.append("")

    head_units: list[str] = []
    if dateline and not trailing_dateline:
        printed = dateline
        if rng.random() < style.p_digit_spread * 2:
            printed = re.sub(r"\d+", lambda m: " " + " ".join(m.group(0)) + " " if len(m.group(0)) > 1 else m.group(0), printed)
            patterns.add("spaced")
        head_units += _units(printed) + [rng.choice(["  ", "\u3000", " ", "\u00a0\u00a0"])]
        if inline_byline:
            text, spaced = _byline_text("记者" if byline_role.startswith(("本报", "新华社")) or not byline_role
                                        else byline_role, reporters, rng, style, own_line=False)
            if spaced:
                patterns.add("spaced")
                text = " " + text + " "
            head_units += ["（"] + _units(text) + ["）"]

    # body blocks: the teaser box first
    body: list[dict[str, str]] = []
    body_lines: list[str] = []
    if teaser and role != "from":
        patterns.add("teaser")
        if teaser["label"]:
            body.append({"kind": "subhead", "text": teaser["label"]})
            body_lines.append(_spaced(teaser["label"], rng.choice(["", " "])) if rng.random() < 0.3 else teaser["label"])
        body.append({"kind": "p", "text": teaser["text"]})
        body_lines += _wrap_units(_units(teaser["text"]), max(8, width - 2))
        body_lines.append("")
    captions = list(article.get("captions") or [])
    caption_after = rng.randrange(len(blocks)) if captions and rng.random() < 0.8 else None
    n_sub = sum(b["kind"] == "subhead" for b in blocks)
    if n_sub:
        patterns.add("subheads")
    column_left = rng.randint(3, style.column)

    def emit(line: str) -> None:
        nonlocal column_left
        body_lines.append(line)
        column_left -= 1
        if column_left <= 0:
            body_lines.append("")
            if rng.random() < style.p_colbreak_two:
                body_lines.append("")
            column_left = style.column

    for index, block in enumerate(blocks):
        body.append(block)
        if block["kind"] == "subhead":
            if body_lines and body_lines[-1] != "" and rng.random() < style.p_subhead_blank:
                body_lines.append("")
            for part in _split_phrase(block["text"], rng, width) if len(block["text"]) > width else [block["text"]]:
                body_lines.append(part)
            if rng.random() < style.p_subhead_blank:
                body_lines.append("")
            continue
        units = _body_units(block["text"], style, rng)
        if index == 0 and head_units:
            units = head_units + units
        if index == len(blocks) - 1 and not (role == "to"):
            tail = []
            if trailing_reporters and reporters:
                text, spaced = _byline_text(byline_role or "本报记者", reporters, rng, style, own_line=False)
                tail.append("（" + text + "）")
                patterns.add("trailing")
                if spaced:
                    patterns.add("spaced")
            if trailing_dateline and dateline:
                tail.append("（" + dateline + "）")
                patterns.add("trailing")
        else:
            tail = []
        indent = {"none": "", "spaces": "  ", "ideographic": "\u3000\u3000",
                  "mixed": rng.choice(["", "  ", "\u3000\u3000"])}[style.indent]
        if index and body_lines and body_lines[-1] != "" and rng.random() < style.p_para_blank:
            body_lines.append("")
        for line in _wrap_units(units, width, indent):
            emit(line)
        for piece in tail:
            if rng.random() < 0.4 and body_lines and text_width(body_lines[-1] + piece) <= width + 2:
                body_lines[-1] += piece
            else:
                emit(rng.choice(["", "  ", "        "]) + piece)
        if caption_after == index and captions:
            cap = captions.pop(0)
            clines, gold_caption = _caption_lines(cap, max(8, width - rng.randint(0, 4)), rng)
            if body_lines and body_lines[-1] != "":
                body_lines.append("")
            body_lines += clines + [""]
            gold["captions"].append(gold_caption)
            patterns.add("caption")
    if role == "to":
        note = "下转" + _continuation_page(rng, page_no)
        body_lines.append(rng.choice(["（{}）", "({})", "{}", "  （{}）"]).format(note))
        gold["continuation"] = note
        patterns.add("continuation")
    lines += body_lines
    while lines and lines[-1] == "":
        lines.pop()
    gold["body"] = body
    return lines, gold, patterns


def _furniture_b(rng: random.Random, date: dt.date, page_no: int, section: str) -> tuple[list[str], list[str], dict[str, Any]]:
    """Top and bottom furniture lines, and what they state."""
    weekday = "星期" + "一二三四五六日"[date.weekday()]
    stamp = f"{date.year}年{date.month}月{date.day}日"
    info: dict[str, Any] = {"page": f"第{page_no}版", "publication_date": date.isoformat(), "section": section}
    top_variants = [
        f"{stamp}  星期{weekday[-1]}  第{page_no}版  {section}",
        f"{stamp}\u3000{weekday}\u3000第{page_no}版\u3000{section}",
        f"第{page_no}版  {section}  {stamp}  {weekday}",
        f"人民日报  {stamp}  {weekday}  {page_no}  {_spaced(section)}",
        f"{page_no:02d} {section} {stamp} {weekday}",
    ]
    top_line = rng.choice(top_variants)
    if top_line.startswith("人民日报"):
        info["paper"] = "人民日报"
        info["page"] = str(page_no)
    elif top_line.startswith(f"{page_no:02d} "):
        info["page"] = f"{page_no:02d}"
    top, bottom = [top_line], []
    if rng.random() < 0.6:
        editors = rng.choice([
            f"责任编辑：{_person(rng)}",
            f"责任编辑：{_person(rng)}  {_person(rng)}",
            f"本版责编：{_person(rng)}  {_person(rng)}  版式设计：{_person(rng)}",
            f"责编：{_person(rng)}　美编：{_person(rng)}",
        ])
        (top if rng.random() < 0.5 else bottom).append(editors)
    if rng.random() < 0.6:
        bottom.append(rng.choice([f"— {page_no} —", f"第{page_no}版", f"人民日报  {stamp}", f"{page_no}", f"·{page_no}·"]))
    return top, bottom, info


def generate_page_b(
    articles: list[dict[str, Any]],
    *,
    rng: random.Random,
    n_articles: int | None = None,
    p_continuation: float = 0.35,
    p_loose_caption: float = 0.3,
    source: str = "<generated-b>",
) -> tuple[str, dict[str, Any]]:
    """Lay 2-6 of ``articles`` (records of :func:`load_2019_articles`) out as the text of
    one OCR'd page in family B's conventions (see the module docstring).  Returns the
    raw page text and its gold.  ``p_continuation``: chance that the page has an
    article continued from another page (``上接``) or to one (``下转``);
    ``p_loose_caption``: chance of a picture caption block standing between articles
    (taken from another article's pictures)."""
    usable = [a for a in articles if a.get("headline") and any(b["kind"] == "p" for b in a.get("body") or [])]
    if not usable:
        raise ValueError("generate_page_b needs articles with a headline and at least one paragraph")
    style = _StyleB(rng)
    count = n_articles or rng.randint(2, 6)
    chosen = [usable[i] for i in rng.sample(range(len(usable)), min(count, len(usable)))]
    try:
        date = dt.date.fromisoformat(chosen[0].get("date") or "")
    except ValueError:
        date = dt.date(2019, 10, 1)
    page_no = rng.randint(2, 24)
    section = rng.choice(_SECTIONS_B)
    gold: dict[str, Any] = {"source": source, "paper": None, "page": None, "publication_date": None,
                            "section": None, "furniture": [], "articles": [], "patterns": []}
    top, bottom, info = _furniture_b(rng, date, page_no, section)
    gold.update(info)
    gold["furniture"] = top + bottom
    roles = ["normal"] * len(chosen)
    if len(chosen) >= 2 and rng.random() < p_continuation:
        if rng.random() < 0.5:
            roles[rng.randrange(1, len(chosen))] = "from"
        else:
            roles[rng.randrange(len(chosen))] = "to"
    patterns: set[str] = set()
    out: list[str] = []
    for line in top:
        out += [line] + [""] * rng.choice([0, 1, 2])
    pictures = [c for a in articles for c in a.get("captions") or []]
    for n, article in enumerate(chosen, 1):
        lines, record, shown = _layout_article(article, rng, style, role=roles[n - 1], page_no=page_no)
        record["id"] = str(n)
        patterns |= shown
        if out and out[-1] != "" or n > 1:
            out += [""] * rng.randint(*style.gap)
        out += lines
        gold["articles"].append(record)
        if pictures and n < len(chosen) and rng.random() < p_loose_caption / max(1, len(chosen) - 1):
            clines, gold_caption = _caption_lines(rng.choice(pictures), rng.randint(*style.widths), rng)
            out += [""] * rng.randint(1, 2) + clines
            record["captions"].append(gold_caption)
            patterns.add("caption")
    for line in bottom:
        out += [""] * rng.choice([1, 1, 2]) + [line]
    while out and out[-1] == "":
        out.pop()
    gold["patterns"] = sorted(patterns)
    return "\n".join(out) + "\n", gold
