"""kb/clauses.py with the real Kiwi (and the content's user words): where a message's questions
begin and end, and which messages hold two questions."""
from __future__ import annotations

import pytest

from kb.clauses import MAX_PARTS, clauses, split_question
from search.analysis import get_kiwi, kiwi_user_words


@pytest.fixture(scope="module")
def kiwi(content):
    return get_kiwi(kiwi_user_words(content.lexicon))


@pytest.mark.parametrize("q, first, second", [
    # question marks, and 그리고 opening the second question
    ("출휴 끝나고 바로 육휴 쓸 수 있어요? 그리고 육휴 중에 연차는요?",
     "출휴 끝나고 바로 육휴 쓸 수 있어요?", "그리고 육휴 중에 연차는요?"),
    # no punctuation at all: Kiwi's sentence end after 있어요, "…는요" as the short question
    ("출휴 끝나고 바로 육휴 쓸 수 있어요 그리고 육휴 중에 연차는요",
     "출휴 끝나고 바로 육휴 쓸 수 있어요", "그리고 육휴 중에 연차는요"),
    # 또, and asking endings (-나요) and question words (얼마)
    ("육휴 몇 개월 쓸 수 있나요 또 급여는 얼마예요", "육휴 몇 개월 쓸 수 있나요", "또 급여는 얼마예요"),
    # 하나 더 after a question
    ("배우자 출산휴가 며칠이에요? 하나 더, 육아휴직 급여 상한은 얼마예요?", "배우자 출산휴가 며칠이에요?",
     "하나 더, 육아휴직 급여 상한은 얼마예요?"),
    # a linking word inside one sentence, after an asking ending (-는지)
    ("출산휴가 급여는 얼마인지 그리고 언제 신청하는지 알려주세요",
     "출산휴가 급여는 얼마인지", "그리고 언제 신청하는지 알려주세요"),
    # what leads up to the first question stays with it; the rest goes with the second
    ("계약직이에요. 출산휴가 쓸 수 있나요? 그리고 최저임금은 얼마예요? 궁금해서요",
     "계약직이에요. 출산휴가 쓸 수 있나요?", "그리고 최저임금은 얼마예요? 궁금해서요"),
])
def test_two_questions_split_into_two_parts(kiwi, q, first, second):
    assert split_question(q, kiwi) == (first, second)


@pytest.mark.parametrize("q", [
    "출산휴가 며칠이에요",                                             # one question
    "출휴 끝나고 육휴 쓰려는데 회사가 안 된대요. 어떻게 해야 하나요?",        # a story and one question (-대요 tells)
    "임신했는데 회사에서 권고사직하래요. 사직서 쓰면 실업급여 못 받나요? 너무 서러워요",
    "하나 더 물어볼게요 육휴 중에 연차는 어떻게 되나요",                      # 하나 더 opening the only question
    "출산휴가 쓰고 있어요. 그리고 육휴는 언제 신청해요?",                     # a statement, then one question
    "육아휴직 급여 나와요",                                              # a statement without a question mark
])
def test_one_question_stays_whole(kiwi, q):
    assert split_question(q, kiwi) == (q,)


def test_never_more_than_two_parts(kiwi):
    q = "출산휴가 며칠이에요? 육아휴직은 몇 년이에요? 최저임금은 얼마예요?"
    parts = split_question(q, kiwi)
    assert len(parts) == MAX_PARTS == 2
    assert parts == ("출산휴가 며칠이에요?", "육아휴직은 몇 년이에요? 최저임금은 얼마예요?")


def test_clauses_carry_their_place_and_kind(kiwi):
    q = "회사가 안 된대요. 육휴 쓸 수 있나요"
    found = clauses(q, kiwi)
    assert [(c.text, c.question) for c in found] == [("회사가 안 된대요.", False), ("육휴 쓸 수 있나요", True)]
    assert all(q[c.start:c.end] == c.text for c in found)


@pytest.mark.parametrize("q, maybe", [
    ("육아휴직 급여 얼마나 나와요?", False),
    ("육아휴직 급여 얼마나 나와요", False),
    ("회사가 안 된대요. 육휴 쓸 수 있나요", False),
    ("육휴 쓸 수 있나요? 그리고 연차는요?", True),
    ("육휴 쓸 수 있나요? 연차는요", True),
    ("육휴 몇 개월 쓸 수 있나요 또 급여는 얼마예요", True),
    ("하나 더 물어볼게요 육휴 중에 연차는 어떻게 되나요", True),
    ("또래 엄마들이 그러는데 육휴 쓸 수 있나요", False),     # 또래 is not 또
    ("육아휴직 급여 얼마나 나와요? ㅠㅠ", False),
])
def test_the_cheap_first_look(q, maybe):
    from kb.clauses import may_hold_two

    assert may_hold_two(q) is maybe
