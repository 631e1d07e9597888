"""Exact sets of matching documents, read from posting lists without scoring.

A search ranks its top hits with Whoosh's matchers, whose shortcuts (dropping clauses that
cannot reach the top N) make the count of matches they see too low.  The total of a
search and its facet counts come from :func:`matching_docs` instead: term postings are
read block by block into Python sets, phrases are checked on the positions of the
documents that hold every word, and ``Or``/``And``/``Not`` are set operations.  Query
types not handled here fall back to Whoosh's own (exact, slower) ``Query.docs``.
"""
from __future__ import annotations

import io
import zlib
from bisect import bisect_right
from itertools import accumulate
from pickle import load as pickle_load
from pickle import loads

from whoosh import query as Q
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3TermInfo, W3TermsReader
from whoosh.system import unpack_int, unpack_long

_TERMINFO = W3TermInfo._struct
_INT = 4


class _Unsupported(Exception):
    pass


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
    if isinstance(q, Q.Term):
        return set(_postings(reader, q.fieldname, q.text, values=False)[0])
    if isinstance(q, Q.Phrase):
        return _phrase_docs(reader, q)
    if isinstance(q, Q.Or):
        return set().union(*(_docs(reader, sub) for sub in q.subqueries))
    if isinstance(q, Q.And):
        parts = sorted((_docs(reader, sub) for sub in q.subqueries), key=len)
        return parts[0].intersection(*parts[1:]) if parts else set()
    if isinstance(q, Q.AndNot):
        return _docs(reader, q.a) - _docs(reader, q.b)
    if isinstance(q, Q.Not):
        return set(range(reader.doc_count_all())) - _docs(reader, q.query)
    if isinstance(q, Q.Every) and not q.fieldname:
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
              ) -> tuple[list[int], list]:
    """(docnums, values) of one term in one segment; values only when asked for.  With
    ``within`` (sorted docnums), blocks holding none of them are not read."""
    info = _term_info(reader, fieldname, text)
    if info is None:
        return [], []
    if info[0]:  # inlined
        ids, _, vals = loads(info[_TERMINFO.size:])
        return list(ids), list(vals) if values else []
    offset, = unpack_long(info[_TERMINFO.size:_TERMINFO.size + 8])
    length, = unpack_int(info[_TERMINFO.size + 8:_TERMINFO.size + 12])
    data = reader._terms._postfile.get(offset, length)
    if data[:4] != WHOOSH3_HEADER_MAGIC:
        raise _Unsupported("posting format")
    ids: list[int] = []
    vals: list = []
    pos, end, previous_last = 4, len(data), -1
    while pos < end:
        blocklength, = unpack_int(data[pos:pos + _INT])
        pos += _INT
        stream = io.BytesIO(data[pos:pos + abs(blocklength)])
        pos += abs(blocklength)
        # block info (count, last id, max weight, compression, min/max length), then the data
        head = pickle_load(stream)
        first_after, previous_last = previous_last, head[1]
        if within is not None:
            i = bisect_right(within, first_after)
            if i == len(within) or within[i] > head[1]:  # no wanted document in this block
                continue
        raw = stream.read()
        if head[3]:
            raw = zlib.decompress(raw)
        block_ids, _, block_values = loads(raw)
        ids += accumulate(block_ids)
        if values:
            vals += block_values
    return ids, vals


def _doc_frequency(reader, fieldname: str, text) -> int:
    info = _term_info(reader, fieldname, text)
    return 0 if info is None else _TERMINFO.unpack_from(info)[2]


def _positions(value: bytes) -> list[int]:
    """Whoosh ``Positions`` value -> positions (a count, then pickled deltas)."""
    return list(accumulate(loads(value[_INT:])))


def _phrase_docs(reader, q: Q.Phrase) -> set[int]:
    """Documents holding ``q.words`` in order, at most ``q.slop`` positions apart."""
    if not q.words:
        return set()
    fieldobj = reader.schema[q.fieldname] if q.fieldname in reader.schema else None
    if fieldobj is None or not fieldobj.format.supports("positions"):
        raise _Unsupported("phrase without positions")
    # the rarest word first: the others are read only in blocks that hold its documents
    order = sorted(set(q.words), key=lambda w: _doc_frequency(reader, q.fieldname, w))
    postings = {order[0]: _postings(reader, q.fieldname, order[0], values=len(q.words) > 1)}
    candidates = set(postings[order[0]][0])
    for word in order[1:]:
        if not candidates:
            return set()
        ids, vals = _postings(reader, q.fieldname, word, values=True, within=sorted(candidates))
        candidates.intersection_update(ids)
        postings[word] = (ids, vals)
    if len(q.words) == 1 or not candidates:
        return candidates
    by_word = [{d: v for d, v in zip(*postings[w]) if d in candidates} for w in q.words]
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
    return out
