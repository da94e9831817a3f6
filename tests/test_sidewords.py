"""kb/sidewords.py: feeling words leave the search whole, and never change the topic or confidence.

Real Kiwi, the real content/safety.yaml and the real index (the `knowledge` fixture)."""
from __future__ import annotations

import pytest

from kb import safety
from kb.sidewords import search_text, widen, without_spans
from search.analysis import terms


def test_widen_grows_a_span_to_the_whole_words_it_touches():
    text = "육휴 중인데 억울해서 잠이 안 와요"
    start = text.index("억울")
    assert text[slice(*widen(text, start, start + 3))] == "억울해서"
    assert widen(text, 0, 2) == (0, 2)
    assert widen(text, len(text) - 1, len(text)) == (text.index("와요"), len(text))


def test_without_spans_drops_whole_words_and_overlaps_once():
    text = "출산휴가 안 준대요 너무 서러워요 진짜로"
    at = text.index("서러")
    assert without_spans(text, [(at, at + 2)]) == "출산휴가 안 준대요 너무 진짜로"
    assert without_spans(text, [(at, at + 2), (at + 1, at + 3)]) == "출산휴가 안 준대요 너무 진짜로"
    assert without_spans(text, []) == text


@pytest.mark.parametrize("side", ["죽을 것 같아요", "너무 서러워요", "미치겠어요", "답답해 죽겠어요", "억울해서 눈물만 나요",
                                  "화가 나서 미치겠어요", "멘붕이에요 ㅠㅠ", "짜증나요 ㅋㅋ"])
def test_feeling_words_leave_no_stray_endings(safety_check, analyzer, side):
    base = "육휴 중에 회사가 퇴사하래요"
    for q in (base + " " + side, side + " " + base):
        left = search_text(q, safety_check(q))
        assert left.startswith(base) or left.endswith(base), left
        assert terms(analyzer, left) == terms(analyzer, base), left   # adverbs like 너무 are no terms


def test_a_message_of_feelings_alone_is_searched_as_it_is(safety_check):
    assert search_text("서러워요 ㅠㅠ", safety_check("서러워요 ㅠㅠ")) == "서러워요 ㅠㅠ"


def test_no_feeling_words_means_the_question_unchanged_but_jamo(safety_check):
    q = "출산휴가 며칠이에요"
    assert search_text(q, safety_check(q)) == q
    assert search_text(q + " ㅠㅠ", safety_check(q + " ㅠㅠ")) == q


@pytest.mark.parametrize("base", ["육휴 복직했더니 자리가 없대요", "월급이 두 달째 밀렸어요", "임신했다고 해고당했어요",
                                  "계약직인데 출산휴가 쓸 수 있나요"])
@pytest.mark.parametrize("side", ["죽을 것 같아요", "너무 서러워요", "미치겠어요", "답답해 죽겠어요 ㅠㅠ"])
def test_side_words_keep_the_topic_and_the_confidence(knowledge, base, side):
    plain = knowledge.ask(base)
    for q in (base + " " + side, side + " " + base):
        a = knowledge.ask(q)
        assert (a.topics[:1], a.confident, a.crisis) == (plain.topics[:1], plain.confident, False), q
        assert a.empathy, q     # the feeling is answered with one human line instead


def test_a_distress_phrase_is_not_an_alarm(safety_check):
    v = safety_check("답답해 죽겠어요")
    assert v.distressed and not v.urgent
    assert safety.DISTRESS in {a.route for a in v.alarms}
