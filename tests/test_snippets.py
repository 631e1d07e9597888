"""Snippets show what was searched: phrases whole, the window with the most distinct terms,
no lone function characters, nothing under NOT."""
from __future__ import annotations

import random
import re

import pytest

from newsnlp.index import Archive
from newsnlp.index.schema import build_schema
from newsnlp.index.search import _highlight_terms, make_snippet, parse_query
from newsnlp.model import Article, Block, Page

SCHEMA = build_schema()
# the phrase's words occur scattered early on, with many 的; the phrase itself only late
FILLER = "居民的意见的的，医保的事情的的，城乡的面貌的的。" * 6
LATE = "今年全市城乡居民医保缴费工作正式启动，"
TEXT = FILLER + LATE + "其他工作有序推进。" * 20


def marks(query: str, text: str = TEXT) -> tuple[str, list[str]]:
    window, spans = make_snippet(text, _highlight_terms(parse_query(query, SCHEMA)))
    return window, [window[a:b] for a, b in spans]


def test_a_quoted_phrase_is_in_the_window_and_marked_whole():
    window, marked = marks('"城乡居民医保"')
    assert "城乡居民医保" in window
    assert marked == ["城乡居民医保"]


def test_an_unquoted_several_word_query_is_shown_where_its_words_meet():
    window, marked = marks("城乡居民医保缴费")
    assert "城乡居民医保缴费" in window and "城乡居民医保缴费" in marked


def test_no_lone_function_character_is_marked_beside_words():
    _, marked = marks('"居民的医保"', "开头。" * 50 + "本市居民的医保待遇提高。" + "的" * 30)
    assert marked == ["居民的医保"]
    assert "的" not in marks("医保 的")[1]


def test_a_query_of_one_character_still_marks_it():
    assert set(marks("网", "上网的人多了，网速也快了。")[1]) == {"网"}


def test_words_under_not_are_not_marked():
    _, marked = marks("工作 NOT 缴费")
    assert "工作" in marked and "缴费" not in marked


def test_the_window_with_most_distinct_terms_wins():
    text = "医保" * 10 + "。" * 200 + "医保和养老政策" + "。" * 200
    window, marked = marks("医保 OR 养老", text)
    assert set(marked) == {"医保", "养老"} and "医保和养老" in window


@pytest.fixture
def archive(tmp_path) -> Archive:
    body = [Block("p", FILLER), Block("p", LATE + "其他工作有序推进。" * 20)]
    page = Page(source="/p/x-2022-10-12.txt", publication_date="2022-10-12",
                articles=[Article(id="x1", headline=["医保缴费启动"], body=body)])
    ar = Archive(tmp_path / "archive")
    ar.add_pages([page])
    return ar


def test_search_hits_show_the_phrase(archive):
    hit = archive.search('"城乡居民医保"').hits[0]
    assert "<mark>城乡居民医保</mark>" in hit.to_dict()["snippet"]


def _window_by_brute_force(text: str, terms: list[str], width: int) -> int:
    """The window start chosen by trying every window against every occurrence (the definition)."""
    found = sorted((m.start(), m.start() + len(t), i) for i, t in enumerate(terms)
                   for m in re.finditer(re.escape(t), text))
    best_key, best_start = None, 0
    for s, e, _ in found:
        if e - s > width:
            continue
        begin = max(0, min(s - width // 5, len(text) - width))
        inside = [(a, b, i) for a, b, i in found if a >= begin and b <= begin + width]
        key = (len({i for _, _, i in inside}), sum(b - a for a, b, _ in inside), -begin)
        if best_key is None or key > best_key:
            best_key, best_start = key, begin
    return best_start


@pytest.mark.parametrize("seed", range(40))
def test_the_window_is_the_best_one_on_long_texts_with_many_occurrences(seed):
    rng = random.Random(seed)
    alphabet = "城乡居民医保工作"
    text = "".join(rng.choice(alphabet) for _ in range(rng.randint(50, 1500)))
    # terms without a repeated character: their occurrences never overlap, so both count the same ones
    terms = list({"".join(rng.sample(alphabet, rng.randint(1, 4))) for _ in range(rng.randint(1, 4))})
    width = rng.choice([20, 60, 120])
    window, _ = make_snippet(text, terms, width=width)
    start = _window_by_brute_force(text, terms, width)
    assert window == text[start:start + width]


def test_the_fast_normalisation_table_maps_each_character_as_normalize_does(monkeypatch):
    from newsnlp.index import search
    from newsnlp.index.analysis import _traditional_chars, normalize

    table = search._code_table()
    rng = random.Random(7)
    codes = [*range(0x3000), *range(0xF900, 0x10000), *(ord(c) for c in _traditional_chars() if ord(c) < 0x30000),
             *rng.sample(range(0x10000, 0x30000), 5000)]
    for code in codes:
        if 0xD800 <= code < 0xE000:
            continue
        n = normalize(chr(code))
        assert chr(table[code]) == (n if len(n) == 1 else chr(code)), hex(code)
    monkeypatch.setattr(search, "_translated", [search._TABLE_AFTER_CHARS])  # as in a long-running server
    text = "ＡＢＣ國家發展「１２３」ｘｙｚ，城乡居民医保\U0001D400" + "臺灣省" * 50
    assert search._normalize_chars(text) == text.translate(search._CHAR_TABLE)
    assert search._normalize_chars(text[:-150]) == text[:-150].translate(search._CHAR_TABLE)
    window, spans = make_snippet(text, ["台湾"])  # found through the table, marked as printed
    assert spans and {window[a:b] for a, b in spans} == {"臺灣"}
