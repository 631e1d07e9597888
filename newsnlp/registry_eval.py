"""Scoring the officials registry against a gold registry (``newsnlp eval registry``, issue #18).

The gold (``corpus/registry/``, see its README.md) lists people read from a fixed set of
People's Daily articles: their posts, each with the article ids that show it, and their
appointment events.  The registry is built from exactly those articles and scored:

- **(person, post) pairs**: each predicted person is mapped to the gold person with whom it
  shares most mentions; a predicted post matches a gold post of that person when the
  normalised titles and organisations are equal and, where the gold post has a place, the
  places are equal too (place-insensitive when the gold has none).
- **person clustering**: B-cubed precision/recall/F1 over mentions, a mention being an
  (article id, full name) pair; a gold mention the registry does not have counts as a
  predicted singleton; predicted mentions outside the gold are left out (pair precision
  counts them).
- **events**: (person, kind, post, date) for ``appoint``, ``remove``, ``elect`` and
  ``nominate``; ``hold`` statements (X任Y) are posts, not events, and are not scored here.
"""
from __future__ import annotations

import gzip
import json
import re
import tempfile
from collections import Counter, defaultdict
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newsnlp.errors import InputError

SCORED_EVENT_KINDS = ("appoint", "remove", "elect", "nominate")
DEFAULT_GOLD = Path(__file__).resolve().parent.parent / "corpus" / "registry"
DEFAULT_SHARED_DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SOURCES = {"rmrb2019": "peoples_daily_2019", "pd1998": "peoples_daily_1998_01"}


# ---------------------------------------------------------------- normalised keys

_FORMER = re.compile(r"^(?:原任|原|时任|前任|前|曾任)")
_PARTY = re.compile(r"^(?:中国共产党|中共)")


def title_key(title: str) -> str:
    """The title a post is compared by: 原/时任/前 (former) dropped, 代 (acting) and 副 kept,
    ``代理`` -> ``代``, ``党委书记``/``党组书记`` -> ``书记``, the rank ``特命全权`` of an
    ambassador dropped (``特命全权大使`` -> ``大使``)."""
    title = _FORMER.sub("", re.sub(r"\s", "", title or ""))
    acting = ""
    if title.startswith("代理"):
        acting, title = "代", title[2:]
    elif title.startswith("代"):
        acting, title = "代", title[1:]
    for party in ("党委书记", "党组书记", "党工委书记"):
        if title.endswith(party):
            title = title[: -len(party)] + "书记"
    title = title.replace("特命全权", "")
    return acting + title


def org_key(org: str) -> str:
    """An organisation as compared: no spaces; ``中共``/``中国共产党`` before a place dropped
    (``中共中央`` kept); ``人民政府`` -> ``政府``; ``中华人民共和国`` before ``驻``/``常驻``
    dropped; a trailing ``人大`` is its standing committee (``省人大主任`` is the 主任 of
    ``省人大常委会``); a trailing ``党委``/``党组`` of a unit (not of a place) dropped."""
    org = re.sub(r"\s", "", org or "")
    rest = _PARTY.sub("", org)
    if rest != org and rest and rest[:2] not in ("中央",):
        org = rest
    org = org.replace("人民政府", "政府")
    org = re.sub(r"^中华人民共和国(?=常?驻)", "", org)
    if org.endswith("人大"):
        org += "常委会"
    return org


def _split(full_org: str) -> tuple[str, str]:
    """(place, organisation without its place) of an organisation as printed (扶沟县委 -> 扶沟县, 县委)."""
    from newsnlp.registry import split_place

    place, core = split_place(org_key(full_org)) if full_org else ("", "")
    return place, org_key(core)


def post_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Gold post ``{"title", "org" (as printed, place included), "place"}`` against a predicted
    post ``{"title", "org", "place"}`` (the registry's: org without its place).

    Equal normalised titles; equal organisations without their places; and, when the gold
    post has a place, the same place (place-insensitive when the gold has none)."""
    from newsnlp.registry import join_place

    if title_key(gold["title"]) != title_key(pred["title"]):
        return False
    p_place, p_core = _split(join_place(pred.get("place") or "", pred.get("org") or ""))
    g_place, g_core = _split(gold["org"])
    if g_core != p_core:
        return False
    want = gold.get("place") or ""
    return not want or want == (pred.get("place") or p_place)


def event_matches(gold: dict[str, Any], pred: dict[str, Any]) -> bool:
    """Same kind, title, organisation (as printed, compared as posts are) and date."""
    if gold["kind"] != pred["kind"] or (gold.get("date") or "") != (pred.get("date") or ""):
        return False
    if title_key(gold["title"]) != title_key(pred["title"]):
        return False
    g_place, g_core = _split(gold["org"])
    p_place, p_core = _split(pred.get("org") or "")
    return g_core == p_core and (not g_place or g_place == p_place)


# ---------------------------------------------------------------- mentions and mapping

def person_mentions(person: dict[str, Any]) -> set[tuple[str, str]]:
    """(article id, name) of every article a person's posts and events cite."""
    articles = {a for post in person.get("posts", []) for a in post.get("articles", [])}
    articles |= {e["article"] for e in person.get("events", []) if e.get("article")}
    return {(a, person["name"]) for a in articles}


def map_people(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, str | None]:
    """Predicted person id -> the gold person id sharing most mentions (None: shares none)."""
    owner: dict[tuple[str, str], list[str]] = defaultdict(list)
    for g in gold:
        for m in person_mentions(g):
            owner[m].append(g["id"])
    out: dict[str, str | None] = {}
    for p in pred:
        votes = Counter(gid for m in person_mentions(p) for gid in owner.get(m, ()))
        out[p["id"]] = min(votes, key=lambda gid: (-votes[gid], gid)) if votes else None
    return out


# ---------------------------------------------------------------- scores

def _prf(tp_p: int, n_pred: int, tp_g: int, n_gold: int) -> dict[str, Any]:
    p = tp_p / n_pred if n_pred else float(n_gold == 0)
    r = tp_g / n_gold if n_gold else float(n_pred == 0)
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": p, "recall": r, "f1": f, "gold": n_gold, "predicted": n_pred}


def score_pairs(gold: list[dict[str, Any]], pred: list[dict[str, Any]],
                mapping: dict[str, str | None] | None = None) -> dict[str, Any]:
    """(person, post) precision and recall; posts of one gold person found in several predicted
    people count once.  ``misses``/``extras`` list what did not match."""
    mapping = map_people(gold, pred) if mapping is None else mapping
    gold_by_id = {g["id"]: g for g in gold}
    pred_posts: dict[str | None, list[tuple[dict, dict]]] = defaultdict(list)
    for p in pred:
        for post in p.get("posts", []):
            pred_posts[mapping.get(p["id"])].append((p, post))
    # distinct predicted pairs: (gold person or the predicted id, title, org, place)
    distinct: dict[tuple, tuple[dict, dict]] = {}
    for gid, items in pred_posts.items():
        for p, post in items:
            from newsnlp.registry import join_place

            key = (gid or "?" + p["id"], title_key(post["title"]), org_key(join_place(post.get("place") or "",
                                                                                      post.get("org") or "")))
            distinct.setdefault(key, (p, post))
    tp_pred = 0
    extras = []
    for (gid, _, _), (p, post) in distinct.items():
        g = gold_by_id.get(gid) if gid and not gid.startswith("?") else None
        if g and any(post_matches(gp, post) for gp in g["posts"]):
            tp_pred += 1
        else:
            extras.append({"name": p["name"], "title": post["title"], "org": post.get("org"),
                           "place": post.get("place"), "articles": post.get("articles", [])})
    tp_gold, n_gold, misses = 0, 0, []
    for g in gold:
        mine = [post for _, post in pred_posts.get(g["id"], [])]
        for gp in g["posts"]:
            n_gold += 1
            if any(post_matches(gp, post) for post in mine):
                tp_gold += 1
            else:
                misses.append({"id": g["id"], "name": g["name"], "title": gp["title"], "org": gp["org"],
                               "place": gp.get("place", "")})
    return {**_prf(tp_pred, len(distinct), tp_gold, n_gold), "misses": misses, "extras": extras}


def score_bcubed(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, Any]:
    """B-cubed over the gold mentions (see the module doc)."""
    g_of: dict[tuple, str] = {}
    for g in gold:
        for m in person_mentions(g):
            g_of.setdefault(m, g["id"])
    p_of: dict[tuple, str] = {}
    for p in pred:
        for m in person_mentions(p):
            if m in g_of:
                p_of.setdefault(m, p["id"])
    for m in g_of:
        p_of.setdefault(m, "singleton:%s|%s" % m)
    g_members: dict[str, set] = defaultdict(set)
    p_members: dict[str, set] = defaultdict(set)
    for m, gid in g_of.items():
        g_members[gid].add(m)
        p_members[p_of[m]].add(m)
    if not g_of:
        return {"precision": 1.0, "recall": 1.0, "f1": 1.0, "mentions": 0}
    prec = rec = 0.0
    for m in g_of:
        inter = len(g_members[g_of[m]] & p_members[p_of[m]])
        prec += inter / len(p_members[p_of[m]])
        rec += inter / len(g_members[g_of[m]])
    prec, rec = prec / len(g_of), rec / len(g_of)
    f1 = 2 * prec * rec / (prec + rec) if prec + rec else 0.0
    return {"precision": prec, "recall": rec, "f1": f1, "mentions": len(g_of)}


def score_events(gold: list[dict[str, Any]], pred: list[dict[str, Any]],
                 mapping: dict[str, str | None] | None = None) -> dict[str, Any]:
    """(person, kind, post, date) precision/recall/F1 of appoint, remove, elect and nominate."""
    mapping = map_people(gold, pred) if mapping is None else mapping
    gold_events = {g["id"]: [e for e in g.get("events", []) if e["kind"] in SCORED_EVENT_KINDS] for g in gold}
    names = {g["id"]: g["name"] for g in gold}
    pred_events: dict[str | None, list[tuple[str, dict]]] = defaultdict(list)
    seen = set()
    for p in pred:
        gid = mapping.get(p["id"])
        for e in p.get("events", []):
            if e["kind"] not in SCORED_EVENT_KINDS:
                continue
            key = (gid or "?" + p["id"], e["kind"], title_key(e["title"]), org_key(e.get("org") or ""), e.get("date"))
            if key in seen:
                continue
            seen.add(key)
            pred_events[gid].append((p["name"], e))
    n_pred = sum(map(len, pred_events.values()))
    tp_pred, extras = 0, []
    for gid, items in pred_events.items():
        for name, e in items:
            if gid is not None and any(event_matches(ge, e) for ge in gold_events.get(gid, [])):
                tp_pred += 1
            else:
                extras.append({"name": name, **{k: e.get(k) for k in ("kind", "title", "org", "date", "article")}})
    tp_gold, n_gold, misses = 0, 0, []
    for gid, evs in gold_events.items():
        mine = [e for _, e in pred_events.get(gid, [])]
        for ge in evs:
            n_gold += 1
            if any(event_matches(ge, e) for e in mine):
                tp_gold += 1
            else:
                misses.append({"id": gid, "name": names[gid], **ge})
    return {**_prf(tp_pred, n_pred, tp_gold, n_gold), "misses": misses, "extras": extras}


def score_registry(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> dict[str, Any]:
    """Pairs, B-cubed and events of predicted people (``officials --json``'s ``people``) against gold people."""
    mapping = map_people(gold, pred)
    return {"people_gold": len(gold), "people_predicted": len(pred),
            "pairs": score_pairs(gold, pred, mapping), "bcubed": score_bcubed(gold, pred),
            "events": score_events(gold, pred, mapping)}


# ---------------------------------------------------------------- gold and articles

def load_gold(folder: str | Path) -> tuple[list[tuple[str, str]], list[dict[str, Any]]]:
    """(articles as (source, id), gold people) of a gold folder."""
    folder = Path(folder)
    items = []
    for n, line in enumerate((folder / "articles.txt").read_text(encoding="utf-8").splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        if len(parts) != 2 or parts[0] not in SOURCES:
            raise InputError(f"{folder / 'articles.txt'}:{n}: expected 'SOURCE ID' with SOURCE one of {sorted(SOURCES)}")
        items.append((parts[0], parts[1]))
    people = []
    for n, line in enumerate((folder / "gold.jsonl").read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                people.append(json.loads(line))
            except ValueError as exc:
                raise InputError(f"{folder / 'gold.jsonl'}:{n}: not JSON: {exc}") from None
    return items, people


def load_articles(shared_data: str | Path, items: Iterable[tuple[str, str]]) -> list[dict[str, Any]]:
    """``{"id", "date", "title", "paragraphs"}`` of the listed articles, in the order listed."""
    shared_data = Path(shared_data)
    wanted = list(items)
    found: dict[str, dict[str, Any]] = {}
    ids19 = {i for s, i in wanted if s == "rmrb2019"}
    if ids19:
        for path in sorted((shared_data / SOURCES["rmrb2019"]).glob("rmrb_2019_*_articles.jsonl.gz")):
            with gzip.open(path, "rt", encoding="utf-8") as fh:
                for line in fh:
                    r = json.loads(line)
                    if r["id"] in ids19:
                        title = " ".join(x for x in (r.get("pretitle"), r.get("title"), r.get("subtitle")) if x)
                        found[r["id"]] = {"id": r["id"], "date": r["date"], "title": title,
                                          "paragraphs": list(r["paragraphs"])}
    ids98 = {i for s, i in wanted if s == "pd1998"}
    if ids98:
        from newsnlp.testing import load_peoples_daily_articles

        for a in load_peoples_daily_articles(shared_data / SOURCES["pd1998"] / "199801.txt"):
            if a["id"] in ids98:
                title = a["headline"] + (f"——{a['subtitle']}" if a.get("subtitle") else "")
                found[a["id"]] = {"id": a["id"], "date": a["date"], "title": title,
                                  "paragraphs": [b["text"] for b in a["body"]]}
    missing = [i for _, i in wanted if i not in found]
    if missing:
        raise InputError(f"articles not found in {shared_data}: {', '.join(missing[:5])}")
    return [found[i] for _, i in wanted]


def article_pages(articles: Iterable[dict[str, Any]]):
    """One :class:`Page` per article: its paragraphs as one article (id kept), facts extracted
    with its publication date, as ``pipeline.enrich`` does (topics left out)."""
    from newsnlp import extract
    from newsnlp.model import Article, Block, Page

    for a in articles:
        art = Article(id=a["id"], headline=[a["title"]], body=[Block("p", p) for p in a["paragraphs"]])
        extract.annotate_article(art, publication_date=a["date"])
        yield Page(source=f"registry-eval:{a['id']}", paper="人民日报", page=a["id"].split("-")[1],
                   publication_date=a["date"], articles=[art])


def build_registry(articles: Iterable[dict[str, Any]], archive: str | Path | None = None) -> list[dict[str, Any]]:
    """The registry's people (``officials --json`` shape) built from exactly ``articles``."""
    from newsnlp import registry
    from newsnlp.store import PageStore

    def run(folder: Path) -> list[dict[str, Any]]:
        store = PageStore(folder)
        pages = list(article_pages(articles))
        for page in pages:
            store.save(page)
        registry.update(folder, pages)
        with registry.Registry(folder, sync=False) as reg:
            return reg.people()

    if archive is not None:
        Path(archive).mkdir(parents=True, exist_ok=True)
        return run(Path(archive))
    with tempfile.TemporaryDirectory(prefix="newsnlp-registry-eval-") as tmp:
        return run(Path(tmp))


def restrict(people: list[dict[str, Any]], articles: set[str]) -> list[dict[str, Any]]:
    """People cut down to the posts and events citing ``articles`` (one part of the gold)."""
    out = []
    for p in people:
        posts = [{**post, "articles": [a for a in post.get("articles", []) if a in articles]}
                 for post in p.get("posts", [])]
        posts = [post for post in posts if post["articles"]]
        events = [e for e in p.get("events", []) if e.get("article") in articles]
        if posts or events:
            out.append({**p, "posts": posts, "events": events})
    return out


def evaluate(gold_folder: str | Path = DEFAULT_GOLD, shared_data: str | Path = DEFAULT_SHARED_DATA,
             parts: Iterable[str] = ("dev", "heldout", "all"),
             pred: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Scores per part.  A part is the gold people marked with it and the articles they cite;
    the prediction is built once from every listed article and cut down to the part's articles."""
    items, gold = load_gold(gold_folder)
    if pred is None:
        pred = build_registry(load_articles(shared_data, items))
    out: dict[str, Any] = {"articles": len(items)}
    for part in parts:
        g = [p for p in gold if part == "all" or p.get("part") == part]
        arts = {a for p in g for a, _ in person_mentions(p)}
        out[part] = {"articles": len(arts), **score_registry(g, restrict(pred, arts))}
    return out
