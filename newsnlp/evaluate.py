"""Page metrics: how close a parsed page is to its gold articles.

Both pages are dicts in the JSON contract shape (:meth:`Page.to_dict`); gold files
such as ``page.gold-articles.json`` may lack keys, so every key is optional.  All
strings are compared with whitespace removed (layout spaces carry no content).

Metrics of :func:`score_page`:

- ``body_cer``: Levenshtein distance between the body streams (every body block of
  every article in page order, concatenated without whitespace) over the gold length.
- ``boundary_*``: block starts as offsets in the body stream; predicted offsets are
  mapped into gold coordinates through the edit alignment, with no other slack.
  Offset 0 (the start of the page) is not counted.
- ``headline_*``: predicted headlines (lines joined) equal to a gold headline, or to
  gold kicker+headline, headline+subtitle or kicker+headline+subtitle.
- ``reporter_f1``, ``caption_f1``, ``dateline_f1``: multisets over the page.
- ``articles_pred``/``articles_gold``, ``body_edits``/``body_chars_gold``: counts;
  ``<metric>_true_pos``/``_n_pred``/``_n_gold``: the counts behind each F1.
"""
from __future__ import annotations

import bisect
import json
from collections import Counter
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

from rapidfuzz.distance import Levenshtein

from newsnlp.errors import InputError

Scores = dict[str, float | int]
POOLED = ("boundary", "headline", "reporter", "caption", "dateline")
#: The figures worth showing a person, in order (``score_page`` returns more: raw counts).
SUMMARY_KEYS = (
    "body_cer", "boundary_precision", "boundary_recall", "boundary_f1", "headline_precision",
    "headline_recall", "headline_f1", "reporter_f1", "caption_f1", "dateline_f1",
    "articles_pred", "articles_gold", "body_edits", "body_chars_gold",
)


def squeeze(text: str | None) -> str:
    """``text`` without any whitespace (ASCII, U+00A0, U+3000 ...); ``None`` -> ``""``."""
    return "".join(ch for ch in text or "" if not ch.isspace())


def _blocks(article: dict[str, Any]) -> list[str]:
    """Whitespace-free texts of an article's body blocks (dicts or plain strings)."""
    out = []
    for block in article.get("body") or []:
        text = block.get("text", "") if isinstance(block, dict) else str(block)
        text = squeeze(text)
        if text:
            out.append(text)
    return out


def body_stream(page: dict[str, Any]) -> tuple[str, list[int]]:
    """The page's body text without whitespace, and the offset where each block starts."""
    parts: list[str] = []
    starts: list[int] = []
    offset = 0
    for article in page.get("articles") or []:
        for text in _blocks(article):
            starts.append(offset)
            parts.append(text)
            offset += len(text)
    return "".join(parts), starts


def prf(true_pos: int, n_pred: int, n_gold: int) -> tuple[float, float, float]:
    """Precision, recall, F1; both sides empty counts as perfect."""
    precision = true_pos / n_pred if n_pred else float(n_gold == 0)
    recall = true_pos / n_gold if n_gold else float(n_pred == 0)
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def _multiset_counts(pred: Iterable[str], gold: Iterable[str]) -> tuple[int, int, int]:
    pred_counts = Counter(s for s in map(squeeze, pred) if s)
    gold_counts = Counter(s for s in map(squeeze, gold) if s)
    return sum((pred_counts & gold_counts).values()), sum(pred_counts.values()), sum(gold_counts.values())


def gold_intervals(pred: str, gold: str) -> list[tuple[int, int]]:
    """For every offset 0..len(pred) of ``pred``, the range of ``gold`` offsets that the
    Levenshtein alignment lets it stand for (wider than one point only where gold has
    characters inserted at that spot)."""
    lo: list[int | None] = [None] * (len(pred) + 1)
    hi: list[int | None] = [None] * (len(pred) + 1)

    def widen(p: int, g_lo: int, g_hi: int) -> None:
        lo[p] = g_lo if lo[p] is None else min(lo[p], g_lo)
        hi[p] = g_hi if hi[p] is None else max(hi[p], g_hi)

    for op in Levenshtein.opcodes(pred, gold):
        if op.tag in ("equal", "replace"):
            for k in range(op.src_end - op.src_start):
                widen(op.src_start + k, op.dest_start + k, op.dest_start + k)
        elif op.tag == "delete":
            for p in range(op.src_start, op.src_end):
                widen(p, op.dest_start, op.dest_start)
        else:  # insert: gold characters missing from pred at pred offset src_start
            widen(op.src_start, op.dest_start, op.dest_end)
    widen(len(pred), len(gold), len(gold))
    return [(a, b) for a, b in zip(lo, hi)]  # type: ignore[misc]


def match_boundaries(pred: str, pred_starts: Sequence[int], gold: str, gold_starts: Sequence[int]) -> int:
    """How many predicted block starts land on a gold block start after alignment
    (one-to-one; the page start, offset 0, is not counted by the callers)."""
    if not pred_starts or not gold_starts:
        return 0
    intervals = gold_intervals(pred, gold)
    candidates = sorted(intervals[p] for p in pred_starts)
    free = sorted(gold_starts)
    matched = 0
    for g_lo, g_hi in sorted(candidates, key=lambda iv: (iv[1], iv[0])):
        i = bisect.bisect_left(free, g_lo)
        if i < len(free) and free[i] <= g_hi:
            free.pop(i)
            matched += 1
    return matched


def _headline_variants(article: dict[str, Any]) -> set[str]:
    head = squeeze("".join(article.get("headline") or []))
    kicker = squeeze(article.get("kicker"))
    variants = {head, kicker + head}
    subtitle = squeeze(article.get("subtitle")).lstrip("—-－")
    if subtitle:  # a subtitle is often printed after a dash: ——副题
        for printed in (subtitle, "——" + subtitle):
            variants |= {head + printed, kicker + head + printed}
    return {v for v in variants if v}


def _headline_counts(pred_articles: list[dict], gold_articles: list[dict]) -> tuple[int, int, int]:
    predicted = [h for h in (squeeze("".join(a.get("headline") or [])) for a in pred_articles) if h]
    gold_variants = [_headline_variants(a) for a in gold_articles]
    gold_variants = [v for v in gold_variants if v]
    used = [False] * len(gold_variants)
    true_pos = 0
    for headline in predicted:
        for i, variants in enumerate(gold_variants):
            if not used[i] and headline in variants:
                used[i] = True
                true_pos += 1
                break
    return true_pos, len(predicted), len(gold_variants)


def score_page(pred: dict[str, Any], gold: dict[str, Any]) -> Scores:
    """Score one parsed page against its gold (both in the JSON contract shape)."""
    pred_articles = list(pred.get("articles") or [])
    gold_articles = list(gold.get("articles") or [])
    pred_text, pred_starts = body_stream(pred)
    gold_text, gold_starts = body_stream(gold)

    edits = Levenshtein.distance(pred_text, gold_text)
    cer = edits / len(gold_text) if gold_text else float(bool(pred_text))

    pred_b = sorted(set(pred_starts) - {0})
    gold_b = sorted(set(gold_starts) - {0})
    b_counts = (match_boundaries(pred_text, pred_b, gold_text, gold_b), len(pred_b), len(gold_b))
    b_p, b_r, b_f = prf(*b_counts)
    head_counts = _headline_counts(pred_articles, gold_articles)
    h_p, h_r, h_f = prf(*head_counts)

    def collect(articles: list[dict], key: str) -> list[str]:
        out: list[str] = []
        for a in articles:
            value = a.get(key)
            out.extend([value] if isinstance(value, str) else value or [])
        return out

    multisets = {
        name: _multiset_counts(collect(pred_articles, key), collect(gold_articles, key))
        for name, key in (("reporter", "reporters"), ("caption", "captions"), ("dateline", "dateline"))
    }
    scores: Scores = {
        "body_cer": cer,
        "boundary_precision": b_p,
        "boundary_recall": b_r,
        "boundary_f1": b_f,
        "headline_precision": h_p,
        "headline_recall": h_r,
        "headline_f1": h_f,
    }
    for name, counts in multisets.items():
        scores[f"{name}_f1"] = prf(*counts)[2]
    scores |= {
        "articles_pred": len(pred_articles),
        "articles_gold": len(gold_articles),
        "body_edits": edits,
        "body_chars_gold": len(gold_text),
    }
    # raw counts, so that means over many pages can be pooled (see mean_scores)
    for name, counts in {"boundary": b_counts, "headline": head_counts, **multisets}.items():
        scores |= dict(zip((f"{name}_true_pos", f"{name}_n_pred", f"{name}_n_gold"), counts))
    return scores


def _load_json(path: Path) -> dict[str, Any] | None:
    """The JSON object in ``path``, or ``None`` when the file is not JSON."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (UnicodeDecodeError, OSError):
        return None
    if not text.lstrip().startswith("{"):
        return None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        return None
    return data if isinstance(data, dict) else None


def score_page_files(pred_or_raw: str | Path, gold: str | Path) -> Scores:
    """Score a page JSON file, or a raw page file (parsed here, without analysis),
    against a gold articles JSON file."""
    pred_path, gold_path = Path(pred_or_raw), Path(gold)
    gold_page = _load_json(gold_path)
    if gold_page is None or not isinstance(gold_page.get("articles"), list):
        raise InputError(f"{gold_path}: not a gold page JSON (an object with an 'articles' list)")
    pred_page = _load_json(pred_path)
    if pred_page is None:
        from newsnlp import pipeline

        pred_page = pipeline.parse_file(pred_path, analyze=False).to_dict()
    return score_page(pred_page, gold_page)


def page_pairs(pred_dir: str | Path, gold_dir: str | Path) -> list[tuple[Path, Path]]:
    """(page, gold) file pairs of two folders: ``NAME.gold.json`` (or ``NAME.json`` when the
    pages are not JSON) in ``gold_dir`` for each page file ``NAME.*`` in ``pred_dir`` (pages
    and gold may share one folder, as ``eval_generated_pages.py --dump`` writes them)."""
    pred_dir, gold_dir = Path(pred_dir), Path(gold_dir)
    pairs = []
    for page in sorted(p for p in pred_dir.iterdir() if p.is_file() and not p.name.endswith(".gold.json")):
        stem = page.name[: -len(".pred.json")] if page.name.endswith(".pred.json") else page.stem
        for name in (f"{stem}.gold.json", f"{stem}.json"):
            gold = gold_dir / name
            if gold.is_file() and gold != page:
                pairs.append((page, gold))
                break
    if not pairs:
        raise InputError(f"no page in {pred_dir} has a gold file (NAME.gold.json) in {gold_dir}")
    return pairs


def score_page_dirs(pred_dir: str | Path, gold_dir: str | Path) -> dict[str, float | int]:
    """:func:`mean_scores` over every page of ``pred_dir`` with its gold in ``gold_dir``
    (see :func:`page_pairs`); a folder of raw pages and predictions both work."""
    seen: set[str] = set()
    scores = []
    for page, gold in page_pairs(pred_dir, gold_dir):
        if str(gold) in seen:  # page-001.txt and page-001.pred.json: score the page once
            continue
        seen.add(str(gold))
        scores.append(score_page_files(page, gold))
    return mean_scores(scores)


#: Rows of the page table: label, mean key, pooled key (``eval page`` on folders, the benchmark)
TABLE = (
    ("body CER", "body_cer", "body_cer_pooled"),
    ("boundary precision", "boundary_precision", None),
    ("boundary recall", "boundary_recall", None),
    ("boundary F1", "boundary_f1", "boundary_f1_pooled"),
    ("headline precision", "headline_precision", None),
    ("headline recall", "headline_recall", None),
    ("headline F1", "headline_f1", "headline_f1_pooled"),
    ("reporter F1", "reporter_f1", "reporter_f1_pooled"),
    ("caption F1", "caption_f1", "caption_f1_pooled"),
    ("dateline F1", "dateline_f1", "dateline_f1_pooled"),
)


def format_table(mean: dict[str, float | int]) -> str:
    """The page table (mean over pages and pooled counts) as printed by ``newsnlp eval page DIR``."""
    lines = [f"{'metric':20} {'mean':>8} {'pooled':>8}"]
    for label, key, pooled in TABLE:
        pooled_text = f"{mean[pooled]:8.4f}" if pooled in mean else f"{'':8}"
        lines.append(f"{label:20} {mean[key]:8.4f} {pooled_text}")
    return "\n".join(lines)


def mean_scores(scores: Sequence[Scores]) -> dict[str, float | int]:
    """Per-metric means over pages.  Count keys (ints) are summed instead, and pooled
    figures are added: ``body_cer_pooled`` (all edits over all gold characters) and
    ``<metric>_f1_pooled`` (F1 of the summed counts, where pages with nothing to find
    weigh nothing), plus ``pages``."""
    if not scores:
        return {"pages": 0}
    out: dict[str, float | int] = {}
    for key in scores[0]:
        values = [s[key] for s in scores if key in s]
        if all(isinstance(v, int) and not isinstance(v, bool) for v in values):
            out[key] = sum(values)
        else:
            out[key] = sum(values) / len(values)
    if out.get("body_chars_gold"):
        out["body_cer_pooled"] = out["body_edits"] / out["body_chars_gold"]
    for name in POOLED:
        keys = (f"{name}_true_pos", f"{name}_n_pred", f"{name}_n_gold")
        if all(k in out for k in keys):
            out[f"{name}_f1_pooled"] = prf(*(int(out[k]) for k in keys))[2]
    out["pages"] = len(scores)
    return out


# --- facts of a whole parsed page (newsnlp eval facts) --------------------------------------------
def _f1_counts(pred: Counter, gold: Counter) -> dict[str, float]:
    tp = sum((pred & gold).values())
    p, r, f = prf(tp, sum(pred.values()), sum(gold.values()))
    return {"precision": p, "recall": r, "f1": f}


def _anaphor(entity: dict[str, Any]) -> bool:
    from newsnlp.extract.entities import ANAPHORA

    return bool(entity.get("refers_to")) and entity.get("text") in ANAPHORA


def score_facts(page: dict[str, Any], gold: dict[str, Any]) -> dict[str, Any]:
    """Score the facts of a parsed page (page JSON) against a gold facts file.

    Articles are matched by position (gold numbers them 1-based in page order).
    Officials (name, title), reporters, figures (value, unit; gold ``count`` repeats),
    dates (value; gold ``optional`` neither counts nor penalises; ``A/B`` matches a
    range A..B), persons/places/organisations (page-level sets), quoted terms, and
    the share of articles whose primary topic is among the gold topics.
    """
    articles = page.get("articles") or []
    by_number = {n: a for n, a in enumerate(articles, 1)}
    scores: dict[str, Any] = {}

    def facts(key: str):
        for n, article in by_number.items():
            for item in article.get(key) or []:
                yield n, item

    officials_pred = Counter((n, o["name"], o["title"]) for n, o in facts("officials"))
    officials_gold = Counter((o["article"], o["name"], o["title"]) for o in gold.get("officials", []))
    scores["officials"] = _f1_counts(officials_pred, officials_gold)
    reporters_pred = Counter((n, r) for n, a in by_number.items() for r in a.get("reporters") or [])
    scores["reporters"] = _f1_counts(reporters_pred, Counter((r["article"], r["name"]) for r in gold.get("reporters", [])))
    for kind, key in (("person", "persons"), ("place", "places"), ("org", "organizations")):
        pred = Counter({e["text"] for _, e in facts("entities")
                        if e["type"] == kind and not _anaphor(e) and not e.get("form")})  # names only
        scores[key] = _f1_counts(pred, Counter(set(gold.get(key, []))))

    def same(a, b) -> bool:
        return a is not None and b is not None and abs(float(a) - float(b)) <= 1e-6 * max(1.0, abs(float(b)))

    pool = [(g["article"], g["value"], g["unit"]) for g in gold.get("figures", []) for _ in range(int(g.get("count", 1)))]
    predicted = [(n, f["value"], f["unit"], f["text"]) for n, f in facts("figures")]
    tp = 0
    for n, value, unit, _ in predicted:
        hit = next((g for g in pool if g[0] == n and g[2] == unit and same(value, g[1])), None)
        if hit:
            pool.remove(hit)
            tp += 1
    p, r, f = prf(tp, len(predicted), tp + len(pool))
    not_figures = [text for *_, text in predicted if any(name in text for name in gold.get("not_figures", []))]
    scores["figures"] = {"precision": p, "recall": r, "f1": f, "not_figures_reported": len(not_figures)}

    tp = fp = n_gold = 0
    for n in by_number:
        gold_dates = [d for d in gold.get("dates", []) if d["article"] == n]
        required = {d["value"] for d in gold_dates if not d.get("optional")}
        optional = {d["value"] for d in gold_dates if d.get("optional")}
        n_gold += len(required)
        matched: set[str] = set()
        for mention in {(d.get("value"), d.get("end")) for _, d in facts("dates") if _ == n}:
            keys = {mention[0], mention[1], f"{mention[0]}/{mention[1]}"} - {None, "None/None"}
            if keys & required:
                matched |= keys & required
            elif not keys & optional:
                fp += 1
        tp += len(matched)
    p, r, f = prf(tp, tp + fp, n_gold)
    scores["dates"] = {"precision": p, "recall": r, "f1": f}
    scores["quoted_terms"] = _f1_counts(Counter({t["term"] for _, t in facts("quoted_terms")}),
                                        Counter(set(gold.get("quoted_terms", []))))
    gold_topics = gold.get("topics") or {}
    judged = [(n, a) for n, a in by_number.items() if str(n) in gold_topics]
    right = sum(1 for n, a in judged if a.get("topics") and a["topics"][0]["label"] in gold_topics[str(n)])
    scores["topics_top1"] = right / len(judged) if judged else 0.0
    return scores


def score_facts_files(pred_or_raw: str | Path, gold: str | Path) -> dict[str, Any]:
    """:func:`score_facts` for files: a page JSON, or a raw page parsed with the gold's publication date."""
    from newsnlp import pipeline

    gold_facts = _load_json(Path(gold))
    if gold_facts is None or not isinstance(gold_facts.get("officials"), list):
        raise InputError(f"{gold}: not a gold facts JSON (an object with an 'officials' list)")
    page = _load_json(Path(pred_or_raw))
    if page is None:
        page = pipeline.parse_file(pred_or_raw, publication_date=gold_facts.get("publication_date")).to_dict()
    return score_facts(page, gold_facts)


# --- persons and officials of People's Daily 2019 (newsnlp eval persons) ---------------------------
_SPACES = str.maketrans("", "", " \u00a0\u3000\t")


def shipped_lexicon_words() -> set[str]:
    """Every word listed in a shipped lexicon (first field of each line of ``newsnlp/data/*.txt``)."""
    from newsnlp.extract import ner_features

    words: set[str] = set()
    for path in sorted(ner_features.DATA_DIR.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line and not line.startswith("#"):
                words.add(line.split()[0])
    return words


def load_persons_gold(path: str | Path) -> list[dict[str, Any]]:
    """Records of ``corpus/facts2019/persons_officials.jsonl`` (see its README.md)."""
    out = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                out.append(json.loads(line))
            except ValueError as exc:
                raise InputError(f"{path}:{n}: not JSON: {exc}") from None
    return out


def articles_2019_texts(folder: str | Path, ids: set[str]) -> dict[str, str]:
    """Paragraphs joined with newlines of the People's Daily 2019 articles ``ids`` in ``folder``."""
    import gzip

    texts = {}
    for path in sorted(Path(folder).glob("rmrb_2019_*_articles.jsonl.gz")):
        with gzip.open(path, "rt", encoding="utf-8") as fh:
            for line in fh:
                record = json.loads(line)
                if record["id"] in ids:
                    texts[record["id"]] = "\n".join(record["paragraphs"])
    return texts


def score_persons_officials(gold_path: str | Path, articles_folder: str | Path, part: str = "dev",
                            records: list[dict[str, Any]] | None = None) -> dict[str, Any]:
    """Persons (set of names per article, credits left out) and officials ((name, title) per article)
    of the articles of ``part`` (``dev``, ``heldout`` or ``all``) against the hand-labelled gold.

    Returns precision/recall/F1 of each, ``unseen_recall`` (recall on gold names listed in no shipped
    lexicon, see :func:`shipped_lexicon_words`) and the misses and extras, ``(id, name[, title])``."""
    from newsnlp.extract.entities import entities_many, person_names
    from newsnlp.extract.officials import officials

    records = [r for r in (records if records is not None else load_persons_gold(gold_path))
               if part == "all" or r["part"] == part]
    texts = articles_2019_texts(articles_folder, {r["id"] for r in records})
    missing = [r["id"] for r in records if r["id"] not in texts]
    if missing:
        raise InputError(f"articles {', '.join(missing[:5])} of {gold_path} not found in {articles_folder}")
    known = shipped_lexicon_words()
    found_all = entities_many([texts[r["id"]] for r in records])
    p_tp = p_pred = p_gold = u_tp = u_gold = o_tp = o_pred = o_gold = 0
    misses: dict[str, list] = {"persons": [], "officials": []}
    extras: dict[str, list] = {"persons": [], "officials": []}
    for record, found in zip(records, found_all):
        text = texts[record["id"]]
        gold = {n.translate(_SPACES) for n in record["persons"]}
        pred = person_names(text, found)
        p_tp, p_pred, p_gold = p_tp + len(gold & pred), p_pred + len(pred), p_gold + len(gold)
        unseen = {n for n in gold if n not in known}
        u_tp, u_gold = u_tp + len(unseen & pred), u_gold + len(unseen)
        misses["persons"] += [(record["id"], n) for n in sorted(gold - pred)]
        extras["persons"] += [(record["id"], n) for n in sorted(pred - gold)]
        gold_o = {(o["name"].translate(_SPACES), o["title"]) for o in record["officials"]}
        pred_o = {(o.name.translate(_SPACES), o.title) for o in officials(text, entities=found)}
        o_tp, o_pred, o_gold = o_tp + len(gold_o & pred_o), o_pred + len(pred_o), o_gold + len(gold_o)
        misses["officials"] += [(record["id"], *k) for k in sorted(gold_o - pred_o)]
        extras["officials"] += [(record["id"], *k) for k in sorted(pred_o - gold_o)]
    persons = dict(zip(("precision", "recall", "f1"), prf(p_tp, p_pred, p_gold)))
    officials_scores = dict(zip(("precision", "recall", "f1"), prf(o_tp, o_pred, o_gold)))
    return {
        "articles": len(records),
        "persons": {**persons, "gold": p_gold, "found": p_pred, "true_positives": p_tp},
        "unseen_recall": u_tp / u_gold if u_gold else 0.0, "unseen_gold": u_gold,
        "officials": {**officials_scores, "gold": o_gold, "found": o_pred, "true_positives": o_tp},
        "misses": misses, "extras": extras,
    }
