"""kb/facets.py: the counselor's filters lift the topic written for the chosen worker or reader.

The pure parts are pinned with hand-made topics and hits (every expected order is worked out from
the numbers in the test); the last tests run the real index built from the real content, where the
problem was seen: "출산휴가" + 계약직 put the 계약직 topic on page two.
"""
from __future__ import annotations

from dataclasses import replace

import pytest

from kb.facets import PRIMARY_BOOST, boost, counselor_search, index_filters, rerank, written_for

from .synthetic import shit, topic

GENERAL = replace(topic("general"), applies_to=("regular", "fixed-term", "part-time"), audience=("worker", "employer"))
FIXED = replace(topic("fixed"), applies_to=("fixed-term", "dispatched"), audience=("worker", "counselor"))
EMPLOYER = replace(topic("boss"), applies_to=("regular", "fixed-term"), audience=("employer", "counselor"))
TOPICS = {t.id: t for t in (GENERAL, FIXED, EMPLOYER)}


# ---------------------------------------------------------------- written for whom

@pytest.mark.parametrize("t, field, value, expected", [
    (FIXED, "applies_to", "fixed-term", True),       # listed first
    (GENERAL, "applies_to", "fixed-term", False),    # listed, but not first: applies, not written for
    (GENERAL, "applies_to", "regular", True),
    (FIXED, "applies_to", "public", False),           # not listed at all
    (EMPLOYER, "audience", "employer", True),
    (GENERAL, "audience", "employer", False),
    (FIXED, "audience", "", False),                   # no value picked
    (replace(FIXED, applies_to=()), "applies_to", "fixed-term", False),
])
def test_written_for_is_the_first_listed_value(t, field, value, expected):
    assert written_for(t, field, value) is expected


def test_boost_multiplies_per_field_written_for():
    assert boost(FIXED, {}) == 1.0
    assert boost(FIXED, {"applies_to": "fixed-term"}) == PRIMARY_BOOST
    assert boost(GENERAL, {"applies_to": "fixed-term"}) == 1.0
    assert boost(EMPLOYER, {"applies_to": "regular", "audience": "employer"}) == PRIMARY_BOOST * PRIMARY_BOOST
    assert boost(EMPLOYER, {"category": "parenting", "case_type": "refusal"}) == 1.0   # filters only
    assert boost(None, {"applies_to": "fixed-term"}) == 1.0
    assert PRIMARY_BOOST > 1.0


# ---------------------------------------------------------------- filters for the index

@pytest.mark.parametrize("given, expected", [
    ({}, None),
    ({"category": "", "audience": ""}, None),
    ({"applies_to": "fixed-term"}, {"applies_to": ["fixed-term", "all"]}),   # "all" topics apply to everyone
    ({"applies_to": "all"}, {"applies_to": "all"}),
    ({"case_type": "refusal", "audience": "worker"}, {"case_types": "refusal", "audience": "worker"}),
])
def test_index_filters(given, expected):
    assert index_filters(given) == expected


# ---------------------------------------------------------------- reordering

def test_rerank_lifts_the_written_for_topic_and_keeps_ties_in_order():
    hits = [shit("general", "a", 10.0), shit("general", "b", 6.0), shit("fixed", "c", 5.5),
            shit("boss", "d", 5.0), shit("unknown", "f", 3.0), shit("fixed", "e", 2.0)]
    ranked = rerank(hits, TOPICS, {"applies_to": "fixed-term"})
    # fixed: 5.5 * 2 = 11.0 and 2.0 * 2 = 4.0; the others keep their scores
    assert [(h.anchor, h.score) for h in ranked] == [("c", 11.0), ("a", 10.0), ("b", 6.0), ("d", 5.0),
                                                     ("e", 4.0), ("f", 3.0)]
    same = rerank(hits, TOPICS, {})
    assert same == hits                                     # no boost: the search's order and scores


def test_rerank_ties_keep_the_search_order():
    hits = [shit("general", "a", 4.0), shit("fixed", "b", 2.0), shit("general", "c", 4.0)]
    ranked = rerank(hits, TOPICS, {"applies_to": "fixed-term"})
    assert [h.anchor for h in ranked] == ["a", "b", "c"]   # b: 2.0 * 2 = 4.0, between its equals by position


# ---------------------------------------------------------------- the real index

def topics_of(sections):
    return [s.topic for s in sections]


def test_fixed_term_filter_puts_the_fixed_term_topic_first(knowledge):
    plain, _ = counselor_search(knowledge, "출산휴가", {}, 20)
    assert topics_of(plain)[0] != "fixed-term-worker-leave"        # the problem: a general topic first
    lifted, _ = counselor_search(knowledge, "출산휴가", {"applies_to": "fixed-term"}, 20)
    assert lifted[0].topic == "fixed-term-worker-leave"
    topic = knowledge.content.topics["fixed-term-worker-leave"]
    assert topic.applies_to[0] == "fixed-term"                      # by its metadata, not by its id


@pytest.mark.parametrize("q, filters, expected", [
    ("육아휴직", {"applies_to": "public"}, "public-sector-leave"),
    ("해고", {"applies_to": "small-workplace"}, "small-workplace"),
    ("대체인력", {"audience": "employer"}, "employer-grants"),
])
def test_other_written_for_topics_come_first(knowledge, q, filters, expected):
    ranked, _ = counselor_search(knowledge, q, filters, 20)
    assert ranked[0].topic == expected
    field, value = next(iter(filters.items()))
    assert written_for(knowledge.content.topics[expected], field, value)


@pytest.mark.parametrize("q, filters, expected", [
    ("최저임금", {"applies_to": "fixed-term"}, "minimum-wage"),
    ("배우자 출산휴가", {"applies_to": "fixed-term"}, "paternity-leave"),
    ("육아휴직 급여 상한", {"applies_to": "fixed-term"}, "parental-leave-pay"),
])
def test_the_boost_does_not_beat_a_topic_that_answers_the_words(knowledge, q, filters, expected):
    ranked, _ = counselor_search(knowledge, q, filters, 20)
    assert ranked[0].topic == expected


def test_case_type_filter_keeps_only_topics_of_that_case_type(knowledge):
    ranked, _ = counselor_search(knowledge, "회사가 안 된대요", {"case_type": "refusal"}, 50)
    assert ranked
    assert all("refusal" in knowledge.content.topics[s.topic].case_types for s in ranked)
    assert "leave-refused" in topics_of(ranked)
    unfiltered, _ = counselor_search(knowledge, "회사가 안 된대요", {}, 50)
    assert set(topics_of(unfiltered)) - set(topics_of(ranked))     # the filter did hide some


def test_limit_cuts_after_the_boost(knowledge):
    ranked, terms = counselor_search(knowledge, "출산휴가", {"applies_to": "fixed-term"}, 3)
    assert len(ranked) == 3 and ranked[0].topic == "fixed-term-worker-leave"
    assert terms
