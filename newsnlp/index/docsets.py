"""Exact matching documents and their scores, read from posting lists.

Whoosh's top-N matchers take shortcuts (dropping clauses that cannot reach the top N) that
make the count of matches they see too low, and they spend most of a search in
per-posting method calls.  Here term postings are read block by block into Python sets
and dicts, phrases are checked on the positions of the documents that hold every word,
and ``Or``/``And``/``Not`` are set operations:

* :func:`matching_docs`: every live document matching a query (totals, facets, exports);
* :func:`ranked_docs`: every match with the score Whoosh's BM25F gives it (the sum of
  its terms' scores, a phrase scoring as its words), for ranking the top hits.

Query types not handled here fall back to Whoosh's own code.
"""
from __future__ import annotations

import heapq
import zlib
from array import array
from bisect import bisect_right
from itertools import accumulate
from pickle import loads

from whoosh import query as Q
from whoosh.codec.whoosh3 import W3TermInfo, W3TermsReader
from whoosh.scoring import BM25F

from newsnlp.index.segments import _field_lengths, block_extent, posting_blocks

_TERMINFO = W3TermInfo._struct
_INT = 4


class _Unsupported(Exception):
    pass


def ranked_docs(searcher, q: Q.Query) -> dict[int, float] | None:
    """Global document number -> score of every live document matching ``q``, as Whoosh's
    BM25F scores it; None for queries or weightings not handled here."""
    weighting = searcher.weighting
    if type(weighting) is not BM25F:
        return None
    try:
        out: dict[int, float] = {}
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            local = _scores(searcher, reader, q)
            if reader.has_deletions():
                local = {d: v for d, v in local.items() if not reader.is_deleted(d)}
            out.update({d + offset: v for d, v in local.items()} if offset else local)
        return out
    except _Unsupported:
        return None


def top_docs(scores: dict[int, float], limit: int) -> list[tuple[int, float]]:
    """The ``limit`` best (docnum, score) pairs, ties to the lower docnum (as Whoosh)."""
    return heapq.nlargest(limit, scores.items(), key=lambda item: (item[1], -item[0]))


def _scores(top, reader, q: Q.Query) -> dict[int, float]:
    if type(q) is Q.Term:
        ids, weights, _ = _postings(reader, q.fieldname, q.text, values=False)
        return _term_scores(top, reader, q.fieldname, q.text, ids, weights, q.boost)
    if type(q) is Q.Phrase:
        docs, postings = _phrase_matches(reader, q)
        if not docs:
            return {}
        out: dict[int, float] = dict.fromkeys(docs, 0.0)
        for word in q.words:  # a phrase scores as the sum of its words' scores
            ids, weights, _ = postings[word]
            kept = [(d, w) for d, w in zip(ids, weights) if d in out]
            for d, v in _term_scores(top, reader, q.fieldname, word, [d for d, _ in kept],
                                     [w for _, w in kept], 1.0).items():
                out[d] += v
        return _boosted(out, q.boost)
    if type(q) is Q.Or and not (q.scale or q.minmatch):
        out = {}
        for sub in q.subqueries:
            for d, v in _scores(top, reader, sub).items():
                out[d] = out.get(d, 0.0) + v
        return _boosted(out, q.boost)
    if type(q) is Q.And:
        positive = [sub for sub in q.subqueries if type(sub) is not Q.Not]
        negative = [sub.query for sub in q.subqueries if type(sub) is Q.Not]
        if not positive:
            raise _Unsupported("only negated clauses")
        parts = [_scores(top, reader, sub) for sub in positive]
        common = set(parts[0]).intersection(*parts[1:])
        for sub in negative:
            common -= _docs(reader, sub)
        # a negated clause matches as Whoosh's InverseMatcher does: with score 1
        return _boosted({d: sum(p[d] for p in parts) + len(negative) for d in common}, q.boost)
    if type(q) is Q.AndNot:
        excluded = _docs(reader, q.b)
        return _boosted({d: v for d, v in _scores(top, reader, q.a).items() if d not in excluded}, q.boost)
    if q is Q.NullQuery:
        return {}
    raise _Unsupported(type(q).__name__)


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    return scores if boost == 1.0 else {d: v * boost for d, v in scores.items()}


def _term_scores(top, reader, fieldname: str, text, ids, weights, boost: float) -> dict[int, float]:
    """BM25F scores of one term's postings in one segment (Whoosh's ``BM25FScorer``)."""
    field = reader.schema[fieldname]
    if not ids:
        return {}
    if not field.scorable:
        return {d: w * boost for d, w in zip(ids, weights)}
    weighting = top.weighting
    b, k1 = weighting._field_B.get(fieldname, weighting.B), weighting.K1
    idf = top.idf(fieldname, field.to_bytes(text))
    avgfl = top.avg_field_length(fieldname) or 1
    lengths = _field_lengths_of(reader, fieldname)
    base, per_length, numerator = k1 * (1 - b), k1 * b / avgfl, idf * (k1 + 1) * boost
    return {d: numerator * w / (w + base + per_length * lengths[d]) for d, w in zip(ids, weights)}


def _field_lengths_of(reader, fieldname: str) -> list[int]:
    """Field length of every document of a segment (1 where none is stored), cached on the reader."""
    cache = reader.__dict__.setdefault("_newsnlp_lengths", {})
    lengths = cache.get(fieldname)
    if lengths is None:
        lengths = cache[fieldname] = [n or 1 for n in _field_lengths(reader._perdoc, fieldname, reader.doc_count_all())]
    return lengths


def matching_docs(searcher, q: Q.Query) -> set[int]:
    """Global document numbers of every live document matching ``q``."""
    try:
        out: set[int] = set()
        for sub, offset in searcher.leaf_searchers():
            reader = sub.reader()
            local = _docs(reader, q)
            if reader.has_deletions():
                local = {d for d in local if not reader.is_deleted(d)}
            out.update({d + offset for d in local} if offset else local)
        return out
    except _Unsupported:
        return set(q.docs(searcher))


def _docs(reader, q: Q.Query) -> set[int]:
    if type(q) is Q.Term:
        return set(_postings(reader, q.fieldname, q.text, values=False)[0])
    if type(q) is Q.Phrase:
        return _phrase_matches(reader, q)[0]
    if type(q) is Q.Or and not q.minmatch:
        return set().union(*(_docs(reader, sub) for sub in q.subqueries))
    if type(q) is Q.And:
        parts = sorted((_docs(reader, sub) for sub in q.subqueries), key=len)
        return parts[0].intersection(*parts[1:]) if parts else set()
    if type(q) is Q.AndNot:
        return _docs(reader, q.a) - _docs(reader, q.b)
    if type(q) is Q.Not:
        return set(range(reader.doc_count_all())) - _docs(reader, q.query)
    if type(q) is Q.Every and not q.fieldname:
        return set(range(reader.doc_count_all()))
    if q is Q.NullQuery:
        return set()
    raise _Unsupported(type(q).__name__)


def _term_info(reader, fieldname: str, text) -> bytes | None:
    """The W3 term info bytes of a term in one segment (None: not there)."""
    terms = getattr(reader, "_terms", None)
    if not isinstance(terms, W3TermsReader) or fieldname not in reader.schema:
        raise _Unsupported(fieldname)
    try:
        return terms._tindex[terms._keycoder(fieldname, reader.schema[fieldname].to_bytes(text))]
    except KeyError:
        return None


def _postings(reader, fieldname: str, text, *, values: bool, within: list[int] | None = None
              ) -> tuple[list[int], list[float], list]:
    """(docnums, weights, values) of one term in one segment; values only when asked for.
    With ``within`` (sorted docnums), blocks holding none of them are not read."""
    info = _term_info(reader, fieldname, text)
    if info is None:
        return [], [], []
    if info[0]:  # inlined
        ids, weights, vals = loads(info[_TERMINFO.size:])
        return list(ids), list(weights), list(vals) if values else []
    ids: list[int] = []
    weights: list[float] = []
    vals: list = []
    previous_last = -1
    try:
        blocks = list(posting_blocks(reader._terms._postfile.get(*block_extent(info))))
    except ValueError:
        raise _Unsupported("posting format") from None
    for head, raw in blocks:
        first_after, previous_last = previous_last, head[1]
        if within is not None:
            i = bisect_right(within, first_after)
            if i == len(within) or within[i] > head[1]:  # no wanted document in this block
                continue
        if head[3]:
            raw = zlib.decompress(raw)
        block_ids, block_weights, block_values = loads(raw)
        ids += accumulate(block_ids)
        if block_weights is None:  # Whoosh's minified weights: all 1.0, all one value, or each
            weights += [1.0] * head[0]
        elif isinstance(block_weights, float):
            weights += [array("f", [block_weights])[0]] * head[0]
        else:
            weights += block_weights
        if values:
            vals += block_values
    return ids, weights, vals


def _doc_frequency(reader, fieldname: str, text) -> int:
    info = _term_info(reader, fieldname, text)
    return 0 if info is None else _TERMINFO.unpack_from(info)[2]


def _positions(value: bytes) -> list[int]:
    """Whoosh ``Positions`` value -> positions (a count, then pickled deltas)."""
    return list(accumulate(loads(value[_INT:])))


def _phrase_matches(reader, q: Q.Phrase) -> tuple[set[int], dict]:
    """Documents holding ``q.words`` in order, at most ``q.slop`` positions apart, and the
    postings read for each word (complete in the blocks that hold those documents)."""
    if not q.words:
        return set(), {}
    fieldobj = reader.schema[q.fieldname] if q.fieldname in reader.schema else None
    if fieldobj is None or not fieldobj.format.supports("positions"):
        raise _Unsupported("phrase without positions")
    # the rarest word first: the others are read only in blocks that hold its documents
    order = sorted(set(q.words), key=lambda w: _doc_frequency(reader, q.fieldname, w))
    postings = {order[0]: _postings(reader, q.fieldname, order[0], values=len(q.words) > 1)}
    candidates = set(postings[order[0]][0])
    for word in order[1:]:
        if not candidates:
            return set(), postings
        postings[word] = _postings(reader, q.fieldname, word, values=True, within=sorted(candidates))
        candidates.intersection_update(postings[word][0])
    if len(q.words) == 1 or not candidates:
        return candidates, postings
    by_word = [{d: v for d, _, v in zip(*postings[w]) if d in candidates} for w in q.words]
    slop = q.slop
    out = set()
    for doc in candidates:
        starts = _positions(by_word[0][doc])
        for values in by_word[1:]:
            following = _positions(values[doc])
            starts = [p for p in following if any(0 < p - s <= slop for s in starts)]
            if not starts:
                break
        if starts:
            out.add(doc)
    return out, postings
