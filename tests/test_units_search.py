"""search.searcher pinned: topic aggregation with hand-made hits, then a tiny real index.

The tiny index (five section documents, Kiwi without a user dictionary) builds in well under a
second once Kiwi is loaded, so filters, ranking, term weights and snippets are checked on
documents whose every word is known here.
"""
from __future__ import annotations

import math

import pytest

from search.analysis import korean_analyzer
from search.documents import SectionDoc
from search.index import build
from search.lexicon import Lexicon, SynonymLine, UserWord
from search.searcher import Searcher, Segment, aggregate

from .synthetic import shit

# ---------------------------------------------------------------- aggregation (no index)

def test_topic_score_is_best_section_plus_a_little_of_the_next_two_scaled_by_coverage():
    hits = [shit("a", "s2", 2.0, {"a"}), shit("a", "s1", 10.0, {"a"}), shit("a", "s4", 1.0, {"z"}),
            shit("a", "s3", 4.0, {"b"}), shit("b", "t1", 8.0, {"c"})]
    weights = {"a": 1.0, "b": 1.0, "c": 2.0}
    a, b = aggregate(hits, weights)
    # a: (10 + 0.15 * (4 + 2)) * (0.4 + 0.6 * 2/4)
    assert a.topic == "a" and a.score == pytest.approx(10.9 * 0.7)
    assert a.coverage == pytest.approx(0.5)
    assert [h.anchor for h in a.sections] == ["s1", "s3", "s2", "s4"]  # best first
    assert b.topic == "b" and b.score == pytest.approx(8.0 * 0.7) and b.coverage == pytest.approx(0.5)


def test_full_coverage_keeps_the_score_and_none_keeps_40_percent():
    (full,) = aggregate([shit("a", "s", 10.0, {"x", "y"})], {"x": 1.0, "y": 3.0})
    assert full.score == pytest.approx(10.0) and full.coverage == pytest.approx(1.0)
    (none,) = aggregate([shit("a", "s", 10.0, {"q"})], {"x": 1.0})
    assert none.score == pytest.approx(4.0) and none.coverage == 0.0


def test_coverage_is_idf_weighted():
    (t,) = aggregate([shit("a", "s", 1.0, {"rare"})], {"rare": 3.0, "common": 1.0})
    assert t.coverage == pytest.approx(0.75)


def test_no_weights_means_no_coverage_not_a_division_by_zero():
    (t,) = aggregate([shit("a", "s", 5.0, {"x"})], {})
    assert t.coverage == 0.0 and t.score == pytest.approx(2.0)


def test_naming_the_title_raises_a_topic_above_a_stronger_one():
    hits = [shit("a", "s", 10.0, {"x"}), shit("b", "s", 9.0, {"x"})]
    titles = {"b": frozenset({"x", "y"}), "a": frozenset({"w"})}
    b, a = aggregate(hits, {"x": 1.0}, titles, {"x"})
    assert (b.topic, a.topic) == ("b", "a")
    assert b.score == pytest.approx(9.0 * 1.15)  # half of b's title named: 1 + 0.3 * 1/2
    assert a.score == pytest.approx(10.0)
    assert [t.topic for t in aggregate(hits, {"x": 1.0}, titles, None)] == ["a", "b"]
    assert [t.topic for t in aggregate(hits, {"x": 1.0}, None, {"x"})] == ["a", "b"]


def test_topics_are_sorted_by_score():
    hits = [shit("low", "s", 1.0, {"x"}), shit("high", "s", 5.0, {"x"}), shit("mid", "s", 3.0, {"x"})]
    assert [t.topic for t in aggregate(hits, {"x": 1.0})] == ["high", "mid", "low"]


# ---------------------------------------------------------------- a tiny real index

DOCS = [
    SectionDoc("leave", "core", 0, "육아휴직", "핵심 답변", "육아휴직은 자녀를 키우는 근로자가 쓰는 휴직입니다.",
               questions="육아휴직 기간", keywords="휴직", category="parenting", audience=("worker",),
               applies_to=("regular", "fixed-term")),
    SectionDoc("leave", "apply", 1, "육아휴직", "신청 방법", "휴직을 시작하기 30일 전에 회사에 신청서를 냅니다.",
               category="parenting", audience=("worker",), applies_to=("regular", "fixed-term")),
    SectionDoc("wage", "core", 0, "임금체불", "핵심 답변", "월급을 받지 못하면 노동청에 진정합니다.",
               questions="월급", keywords="체불", category="wages", audience=("worker", "employer"),
               applies_to=("regular",)),
    SectionDoc("help", "core", 0, "상담 안내", "핵심 답변", "연차 휴가와 월급 상담은 누구나 받을 수 있습니다.",
               category="support", audience=("counselor",), applies_to=("all",)),
    SectionDoc("long", "core", 0, "긴 글", "핵심 답변", "가나다 " * 60 + "보험료 정산 안내 " + "라마바 " * 60,
               category="support", applies_to=("all",)),
]


LEXICON = Lexicon(
    user_words=(UserWord("육아휴직", parts=("육아", "휴직")), UserWord("노동청"),
                UserWord("임금체불", parts=("임금", "체불"))),
    synonyms=(SynonymLine("육아휴직", ("육휴",)),),
)


@pytest.fixture(scope="module")
def tiny(tmp_path_factory):
    inst = tmp_path_factory.mktemp("tiny")
    build(DOCS, LEXICON, inst, "fp")
    s = Searcher(inst)
    yield s
    s.close()


def test_search_ranks_sections_and_reports_terms(tiny):
    r = tiny.search("육아휴직 신청서")
    assert r.terms == ("육아휴직", "육아", "휴직", "신청서")
    assert [(h.topic, h.anchor) for h in r.sections][:2] == [("leave", "core"), ("leave", "apply")]
    r = tiny.search("신청서")
    assert (r.sections[0].topic, r.sections[0].anchor) == ("leave", "apply")
    assert [h.score for h in r.sections] == sorted((h.score for h in r.sections), reverse=True)
    assert r.topics[0].topic == "leave"
    top = r.sections[0]
    assert (top.heading, top.order) == ("신청 방법", 1)
    assert "신청서" in top.matched
    assert set(r.term_weights) == set(r.terms)


def test_search_with_nothing_to_search_is_empty(tiny):
    r = tiny.search("?!")
    assert (r.terms, r.sections, r.topics) == ((), (), ())


def test_limit_cuts_the_sections(tiny):
    assert len(tiny.search("월급 휴직 육아휴직", limit=2).sections) == 2


def test_title_match_outranks_a_body_match(tiny):
    r = tiny.search("임금체불")
    assert r.sections[0].topic == "wage"


@pytest.mark.parametrize("filters, topics", [
    ({"category": "wages"}, {"wage"}),
    ({"category": ["wages", "parenting"]}, {"wage", "leave"}),
    ({"audience": "employer"}, {"wage"}),
    ({"applies_to": "fixed-term"}, {"leave"}),
    ({"applies_to": ["fixed-term", "all"]}, {"leave", "help"}),   # topics for everyone are kept
    ({"applies_to": "regular", "category": "wages"}, {"wage"}),
    ({"category": "", "audience": None}, {"leave", "wage", "help"}),  # empty filters filter nothing
    ({}, {"leave", "wage", "help"}),
])
def test_filters(tiny, filters, topics):
    r = tiny.search("월급 휴직 연차", filters=filters)
    assert {h.topic for h in r.sections} == topics


def test_a_filter_no_document_passes_finds_nothing(tiny):
    assert tiny.search("월급", filters={"category": "nothing"}).sections == ()


def test_term_weight_is_a_bm25_idf_over_the_fields(tiny):
    n = tiny.doc_count
    assert n == 5
    assert tiny.term_weight("없는낱말") == pytest.approx(math.log(1 + (n + 0.5) / 0.5))
    assert tiny.term_weight("월급") == pytest.approx(math.log(1 + (n - 2 + 0.5) / 2.5))  # 2 docs say 월급
    assert tiny.term_weight("보험료") > tiny.term_weight("월급")


def test_snippets_only_when_asked(tiny):
    assert all(h.snippet == () for h in tiny.search("월급").sections)
    assert all(h.snippet for h in tiny.search("월급", snippets=True).sections)


def test_snippet_marks_matched_words(tiny):
    text = "월급을 받지 못하면 노동청에 진정합니다."
    segs = tiny.snippet(text, {"월급", "노동청"})
    assert "".join(s.text for s in segs) == text
    assert [s.text for s in segs if s.match] == ["월급", "노동청"]
    assert segs[0] == Segment("월급", True)


def test_snippet_of_a_long_text_is_a_window_around_the_matches(tiny):
    text = DOCS[4].body
    segs = tiny.snippet(text, {"보험료", "정산"}, width=40)
    joined = "".join(s.text for s in segs)
    at = text.index("보험료")
    assert segs[0] == Segment("…", False) and segs[-1] == Segment("…", False)
    assert joined[1:-1] == text[at - 30:at + 10]
    assert [s.text for s in segs if s.match] == ["보험료", "정산"]


def test_snippet_without_matches_is_the_start(tiny):
    text = DOCS[4].body
    segs = tiny.snippet(text, {"없음"}, width=20)
    assert segs == (Segment(text[:20], False), Segment("…", False))
    assert tiny.snippet("", {"x"}) == ()
    assert tiny.snippet("짧은 글", set()) == (Segment("짧은 글", False),)


def test_snippet_picks_the_densest_window(tiny):
    text = "보험료 " + "가나다 " * 30 + "보험료 정산 보험료 정산 " + "라마바 " * 30
    segs = tiny.snippet(text, {"보험료", "정산"}, width=60)
    assert [s.text for s in segs if s.match] == ["보험료", "정산", "보험료", "정산"]
    at = text.index("보험료 정산 보험료")
    assert "".join(s.text for s in segs) == "…" + text[at - 30:at + 30] + "…"


def test_title_terms_leave_out_compound_parts(tiny):
    assert tiny._title_terms["help"] == frozenset({"상담", "안내"})
    assert tiny._title_terms["leave"] == frozenset({"육아휴직"})
    assert tiny.terms("육휴 신청") == ["육아휴직", "육아", "휴직", "신청"]


def test_analyzer_of_the_tiny_index_is_the_korean_one(tiny):
    assert tiny.analyzer == korean_analyzer(LEXICON)
