"""search.searcher pinned: topic aggregation with hand-made hits, then a tiny real index.

The tiny index (five section documents, Kiwi without a user dictionary) builds in well under a
second once Kiwi is loaded, so filters, ranking, term weights and snippets are checked on
documents whose every word is known here.
"""
from __future__ import annotations

import math

import pytest

from search.analysis import get_kiwi, kiwi_user_words, korean_analyzer
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
    # two identical sections: equal scores, so the order between them is the index order
    SectionDoc("twin-a", "core", 0, "쌍둥이", "핵심 답변", "쌍둥이 문서입니다.", category="support"),
    SectionDoc("twin-b", "core", 0, "쌍둥이", "핵심 답변", "쌍둥이 문서입니다.", category="support"),
]


LEXICON = Lexicon(
    user_words=(UserWord("육아휴직", parts=("육아", "휴직")), UserWord("노동청"),
                UserWord("임금체불", parts=("임금", "체불"))),
    synonyms=(SynonymLine("육아휴직", ("육휴",)),),
)
get_kiwi(kiwi_user_words(LEXICON))  # Kiwi itself once per process (see tests/synthetic.py); nothing analysed


@pytest.fixture(scope="module")
def tiny_index(tmp_path_factory):
    inst = tmp_path_factory.mktemp("tiny")
    build(DOCS, LEXICON, inst, "fp")
    return inst


@pytest.fixture
def tiny(tiny_index):
    """A Searcher per test (opening is cheap): each test then starts with empty caches and runs
    the opening code itself, so a mutation tool credits every test with what it exercises."""
    s = Searcher(tiny_index)
    yield s
    s.close()


def bm25(idf, tf, length, avg, b, k1=1.2):
    """BM25 as published (Robertson et al.), written out here as the oracle for the scores."""
    return idf * tf * (k1 + 1) / (tf + k1 * (1 - b + b * length / avg))


def whoosh_idf(s, field, term):
    """Whoosh's idf: log(N / (df + 1)) + 1 over all documents."""
    return math.log(s.doc_count / (s._reader.doc_frequency(field, term) + 1)) + 1


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
    assert (r.terms, r.sections, r.topics, r.term_weights) == ((), (), (), {})


def test_score_of_a_body_only_term_is_bm25_times_the_body_boost(tiny):
    (hit,) = tiny.search("노동청").sections
    assert (hit.topic, hit.anchor) == ("wage", "core")
    n = tiny._docnums[2]
    length = tiny._reader.doc_field_length(n, "body")
    avg = tiny._searcher.avg_field_length("body")
    assert 2 < length < 12 and 10 < avg < 300
    assert hit.score == pytest.approx(1.0 * bm25(whoosh_idf(tiny, "body", "노동청"), 1, length, avg, 0.75))


def test_score_adds_fields_and_weighs_a_compound_part_less(tiny):
    r = tiny.search("임금체불")
    assert r.terms == ("임금체불", "임금", "체불")
    assert r.term_weights["체불"] == pytest.approx(tiny.term_weight("체불") * 0.35)
    assert r.term_weights["임금체불"] == pytest.approx(tiny.term_weight("임금체불"))
    hit = r.sections[0]
    assert (hit.topic, hit.anchor) == ("wage", "core")
    n = tiny._docnums[2]
    expected = 0.0
    for term, qw in (("임금체불", 1.0), ("임금", 0.35), ("체불", 0.35)):
        for field, boost, b in (("title", 3.0, 0.3), ("keywords", 2.5, 0.3)):
            postings = dict(tiny._reader.postings(field, term).items_as("weight")) \
                if (field, term) in tiny._reader else {}
            if n in postings:
                expected += boost * qw * bm25(whoosh_idf(tiny, field, term), postings[n],
                                              tiny._reader.doc_field_length(n, field), tiny._avg[field], b)
    assert expected > 0
    assert hit.score == pytest.approx(expected)


def test_sections_are_ordered_by_score_then_index_order(tiny):
    r = tiny.search("휴직 월급")
    # a word in the questions or keywords (x2.5) beats the same word only in a body (x1)
    assert [(h.topic, h.anchor) for h in r.sections] == [
        ("leave", "core"), ("wage", "core"), ("leave", "apply"), ("help", "core")]
    assert [h.score for h in r.sections] == sorted((h.score for h in r.sections), reverse=True)
    twins = tiny.search("쌍둥이")
    assert [h.topic for h in twins.sections] == ["twin-a", "twin-b"]
    assert twins.sections[0].score == twins.sections[1].score


def test_a_title_named_in_the_question_raises_its_topic(tiny):
    r = tiny.search("상담 안내 월급")
    by_topic = {t.topic: t for t in r.topics}
    help_section = next(h for h in r.sections if h.topic == "help")
    # help's title (상담 안내) is fully named: x1.3 over its coverage-scaled section score
    assert by_topic["help"].score == pytest.approx(
        help_section.score * (0.4 + 0.6 * by_topic["help"].coverage) * 1.3)


def test_limit_cuts_the_sections(tiny):
    assert len(tiny.search("월급 휴직 육아휴직", limit=2).sections) == 2


def test_title_match_outranks_a_body_match(tiny):
    r = tiny.search("임금체불")
    assert r.sections[0].topic == "wage"


TWINS = {"twin-a", "twin-b"}


@pytest.mark.parametrize("filters, topics", [
    ({"category": "wages"}, {"wage"}),
    ({"category": ["wages", "parenting"]}, {"wage", "leave"}),
    ({"audience": "employer"}, {"wage"}),
    ({"applies_to": "fixed-term"}, {"leave"}),
    ({"applies_to": ["fixed-term", "all"]}, {"leave", "help"}),   # topics for everyone are kept
    ({"applies_to": "regular", "category": "wages"}, {"wage"}),
    ({"category": "", "audience": None}, {"leave", "wage", "help", *TWINS}),  # empty filters filter nothing
    ({}, {"leave", "wage", "help", *TWINS}),
    ({"audience": "None"}, set()),                   # a section with no audience has none, not "None"
    ({"category": "support"}, {"help", *TWINS}),      # a filtered-out posting does not end the others
])
def test_filters(tiny, filters, topics):
    r = tiny.search("월급 휴직 연차 쌍둥이", filters=filters)
    assert {h.topic for h in r.sections} == topics


def test_a_filter_no_document_passes_finds_nothing(tiny):
    assert tiny.search("월급", filters={"category": "nothing"}).sections == ()


def test_term_weight_is_a_bm25_idf_over_the_fields(tiny):
    n = tiny.doc_count
    assert n == 7
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


def test_snippet_window_is_160_characters_by_default(tiny):
    text = DOCS[4].body
    assert tiny.snippet(text, set()) == (Segment(text[:160], False), Segment("…", False))


def test_empty_index(tmp_path):
    build([], LEXICON, tmp_path, "fp")
    s = Searcher(tmp_path)
    try:
        assert s.doc_count == 1  # never 0: idf divides by it
        assert s.term_weight("무엇") == pytest.approx(math.log(1 + 1.5 / 0.5))
        assert s.search("월급").sections == ()
    finally:
        s.close()


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


# snippets, exactly: the window opens 30 characters before the densest run of matches

def segs_of(tiny, text, wanted, width):
    return [(s.text, s.match) for s in tiny.snippet(text, wanted, width=width)]


def test_snippet_segments_exactly(tiny):
    text = "상담은 누구나 받을 수 있어요 월급"
    assert segs_of(tiny, text, {"상담", "월급"}, 160) == [
        ("상담", True), ("은 누구나 받을 수 있어요 ", False), ("월급", True)]


def test_snippet_of_equally_dense_places_takes_the_first(tiny):
    text = "가" * 99 + " 월급 " + "나" * 200 + " 월급 " + "다" * 99
    first = text.index("월급")
    assert segs_of(tiny, text, {"월급"}, 40) == [("…", False), (text[first - 30:first], False), ("월급", True),
                                                (text[first + 2:first + 10], False), ("…", False)]


def test_snippet_leaves_out_a_match_that_starts_where_the_window_ends(tiny):
    text = "가" * 99 + " 월급 " + "나" * 6 + " 월급 " + "다" * 99
    first, second = text.index("월급"), text.rindex("월급")
    lo = first - 30
    assert second == lo + 40  # exactly at the end of a 40-character window
    assert segs_of(tiny, text, {"월급"}, 40) == [
        ("…", False), (text[lo:first], False), ("월급", True), (text[first + 2:second], False), ("…", False)]


def test_snippet_marks_the_cut_even_one_character_in(tiny):
    text = "가" * 30 + " 월급 나머지"
    assert segs_of(tiny, text, {"월급"}, 160) == [("…", False), (text[1:31], False), ("월급", True), (" 나머지", False)]


def test_snippet_counts_a_match_exactly_at_the_window_end_out(tiny):
    text = "가" * 99 + " 월급 " + "나" * 36 + " 월급 월급 " + "다" * 50
    a, b = text.index("월급"), text.index("월급", 110)
    assert (a, b) == (100, 140)  # b starts exactly one window (40) after a
    # a's window holds only a; b's holds b and the one after it: b's is denser
    assert segs_of(tiny, text, {"월급"}, 40) == [
        ("…", False), (text[110:140], False), ("월급", True), (" ", False), ("월급", True), (text[145:150], False),
        ("…", False)]


def test_snippet_counts_a_compound_and_its_parts(tiny):
    text = "가" * 99 + " 월급 월급 " + "나" * 90 + " 육아휴직 " + "다" * 50
    p = text.index("육아휴직")
    # 육아휴직 brings three spans (the word, 육아, 휴직): denser than two 월급
    assert segs_of(tiny, text, {"월급", "육아휴직", "육아", "휴직"}, 40) == [
        ("…", False), (text[p - 30:p], False), ("육아", True), ("휴직", True), (text[p + 4:p + 10], False),
        ("…", False)]


def test_default_limit_is_30_sections(tmp_path):
    docs = [SectionDoc(f"t{i}", "core", 0, "제목", "핵심 답변", "공통 낱말", category="support") for i in range(32)]
    build(docs, LEXICON, tmp_path, "fp")
    s = Searcher(tmp_path)
    try:
        assert len(s.search("공통").sections) == 30
        assert len(s.search("공통", limit=31).sections) == 31
    finally:
        s.close()


def test_a_filtered_out_earlier_posting_does_not_hide_a_later_one(tiny):
    # 월급 is in the wage section (an earlier document) and in the help section: only help passes
    r = tiny.search("월급", filters={"category": "support"})
    assert [(h.topic, h.matched) for h in r.sections] == [("help", frozenset({"월급"}))]


def test_searcher_opens_one_index_dir_or_the_instances_current_one(tiny_index, tmp_path):
    import shutil

    from search.index import MANIFEST_FILE, IndexCorrupt, current_dir

    d = current_dir(tiny_index)
    by_dir = Searcher(index_dir=d)
    by_instance = Searcher(tiny_index)
    try:
        assert (by_dir.index_dir, by_instance.index_dir) == (d, None)
        assert by_dir.search("월급").sections == by_instance.search("월급").sections != ()
    finally:
        by_dir.close()
        by_instance.close()
    # a copy whose MANIFEST no longer matches its files: refused when checked (the default), opened when not
    inst = tmp_path / "inst"
    shutil.copytree(tiny_index, inst)
    bad = current_dir(inst)
    manifest = bad / MANIFEST_FILE
    manifest.write_text(manifest.read_text(encoding="utf-8").replace("0", "1", 1), encoding="utf-8")
    for kw in ({"instance_dir": inst}, {"index_dir": bad}):
        with pytest.raises(IndexCorrupt):
            Searcher(**kw)
        unchecked = Searcher(**kw, check=False)
        assert [h.topic for h in unchecked.search("월급").sections][:1] == ["wage"]
        unchecked.close()


# ---------------------------------------------------------------- sections about a rule still to come

FUTURE_DOCS = [
    SectionDoc("wage", "now", 0, "최저임금", "올해 금액", "최저임금 시급 안내입니다.", category="wages"),
    SectionDoc("wage", "next", 1, "최저임금", "다음 해 금액", "최저임금 시급 안내입니다.", category="wages",
               effective="2027-01-01"),
]


@pytest.fixture(scope="module")
def future_index(tmp_path_factory):
    inst = tmp_path_factory.mktemp("future")
    build(FUTURE_DOCS, LEXICON, inst, "fp-future")
    return inst


def _scores(searcher, q):
    return {h.anchor: h.score for h in searcher.search(q).sections}


def test_a_section_still_to_come_ranks_below_the_law_in_force_until_its_day(future_index):
    from datetime import date

    s = Searcher(future_index)
    try:
        s.today = lambda: date(2026, 12, 4)
        before = _scores(s, "최저임금 시급")
        assert [h.anchor for h in s.search("최저임금 시급").sections] == ["now", "next"]
        assert before["next"] == pytest.approx(before["now"] * 0.7)
        assert before["now"] > 0
        s.today = lambda: date(2027, 1, 1)          # the day it takes effect: no longer lowered
        on_the_day = _scores(s, "최저임금 시급")
        assert on_the_day["next"] == pytest.approx(on_the_day["now"]) == pytest.approx(before["now"])
        s.today = lambda: date(2026, 12, 4)
        asked = _scores(s, "2027년 최저임금 시급")   # the question names its year: what was asked
        assert asked["next"] == pytest.approx(asked["now"])
        nxt = _scores(s, "내년 최저임금 시급")
        assert nxt["next"] == pytest.approx(nxt["now"])
    finally:
        s.close()
