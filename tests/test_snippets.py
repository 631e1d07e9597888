"""Snippets show what was searched: phrases whole, the window with the most distinct terms,
no lone function characters, nothing under NOT."""
from __future__ import annotations

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
