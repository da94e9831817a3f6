"""Remembered results: a repeated question skips the work, and nothing stale or foreign comes back."""
from __future__ import annotations

from kb.service import KnowledgeBase, result_key


def test_a_repeated_search_is_answered_from_memory(knowledge):
    first = knowledge.search("출산휴가 며칠 쉴 수 있어요", limit=5)
    again = knowledge.search("출산휴가 며칠 쉴 수 있어요", limit=5)
    assert again is first
    assert first.topics and first.topics[0].topic == "maternity-leave"


def test_each_argument_is_part_of_the_key(knowledge):
    q = "육아휴직 신청"
    base = knowledge.search(q, limit=5)
    assert knowledge.search(q, limit=3) is not base
    assert len(knowledge.search(q, limit=3).sections) == 3
    filtered = knowledge.search(q, limit=5, filters={"category": "parenting"})
    assert filtered is not base
    assert all(h.topic in {t.id for t in knowledge.content.topics.values() if t.category == "parenting"}
               for h in filtered.sections)
    no_snippets = knowledge.search(q, limit=5, snippets=False)
    assert no_snippets is not base
    assert all(h.snippet == () for h in no_snippets.sections)
    assert any(h.snippet for h in base.sections)


def test_filters_given_in_any_order_or_as_lists_share_a_key():
    a = result_key("q", 5, {"category": "pay", "audience": "worker"}, True)
    b = result_key("q", 5, {"audience": "worker", "category": "pay"}, True)
    assert a == b
    assert result_key("q", 5, {"audience": ["worker", "employer"]}, True) != result_key("q", 5, {"audience": "worker"}, True)
    assert result_key("q", 5, {"x": [{"unhashable": 1}]}, True) is None


def test_a_new_build_starts_with_no_remembered_results(knowledge):
    """A swap makes a new KnowledgeBase, whose memory is its own (results of the old index never leak)."""
    old = knowledge.search("배우자 출산휴가", limit=5)
    fresh = KnowledgeBase(knowledge.content, knowledge.searcher, knowledge.instance, knowledge.index_dir)
    assert len(fresh.results) == 0
    new = fresh.search("배우자 출산휴가", limit=5)
    assert new is not old
    assert [h.topic for h in new.topics] == [h.topic for h in old.topics]


def test_the_answer_is_the_same_with_a_remembered_search(knowledge):
    one = knowledge.ask("육휴 쓰면 월급 얼마나 나와요?")
    two = knowledge.ask("육휴 쓰면 월급 얼마나 나와요?")
    assert one.topics == two.topics and one.answer == two.answer
    assert one.referrals == two.referrals


def test_safety_verdicts_are_remembered_by_text(safety_check):
    crisis = safety_check("요즘은 그냥 사라지고 싶다는 생각만 들어요")
    assert safety_check("요즘은 그냥 사라지고 싶다는 생각만 들어요") is crisis
    assert crisis.alarms
    assert not safety_check("사라진 서류를 다시 받고 싶어요").alarms
    assert safety_check(None) is not None and not safety_check(None).alarms
